-- Clean CRM contacts with the keys the matcher compares: a canonical first name
-- (nicknames resolved through the nicknames seed), a normalised street line, and
-- the exact identifiers that are safe to match on (shared or placeholder values,
-- held by more contacts than `identity_max_contacts_per_identifier`, are dropped).
with

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

nicknames as (
    select * from {{ ref('nicknames') }}
),

blocklist as (
    select * from {{ ref('shared_identifier_blocklist') }}
),

canonical_first_names as (
    -- a nickname maps to its formal name; a name with several formal forms keeps the first
    select
        nickname_key,
        min(name_key) as name_key
    from nicknames
    group by 1
),

keyed as (
    select
        contacts.contact_id,
        contacts.email_match_key,
        contacts.phone_e164,
        contacts.loyalty_id,
        contacts.first_name_key,
        coalesce(canonical_first_names.name_key, contacts.first_name_key) as first_name_canonical,
        contacts.last_name_key,
        coalesce(canonical_last_names.name_key, contacts.last_name_key) as last_name_canonical,
        contacts.postcode_key,
        nullif(
            regexp_replace(
                regexp_replace(
                    {{ ascii_fold('contacts.street_address') }},
                    '(street|strasse|str)\b',
                    'st',
                    'g'
                ),
                '[^a-z0-9]|\b(rd|road|ave|avenue)\b',
                '',
                'g'
            ),
            ''
        ) as street_key,
        {{ ascii_fold('contacts.city') }} as city_key,
        contacts.country_code,
        contacts.date_of_birth,
        coalesce(contacts.created_at, contacts.updated_at) as first_seen_at
    from contacts
    left join canonical_first_names
        on contacts.first_name_key = canonical_first_names.nickname_key
    -- a given name typed in the surname field (first and last swapped)
    left join canonical_first_names as canonical_last_names
        on contacts.last_name_key = canonical_last_names.nickname_key
),

identifier_use as (
    select
        'email' as identifier_type,
        email_match_key as identifier_value,
        count(*) as contacts_holding
    from keyed
    where email_match_key is not null
    group by 1, 2
    union all
    select
        'phone' as identifier_type,
        phone_e164 as identifier_value,
        count(*) as contacts_holding
    from keyed
    where phone_e164 is not null
    group by 1, 2
    union all
    select
        'loyalty' as identifier_type,
        loyalty_id as identifier_value,
        count(*) as contacts_holding
    from keyed
    where loyalty_id is not null
    group by 1, 2
),

shared_identifiers as (
    select
        identifier_type,
        identifier_value
    from identifier_use
    where contacts_holding > {{ var('identity_max_contacts_per_identifier') }}
    union
    select
        identifier_type,
        identifier_value
    from blocklist
),

final as (
    select
        keyed.*,
        shared_email.identifier_value is not null as has_shared_email,
        shared_phone.identifier_value is not null as has_shared_phone,
        shared_loyalty.identifier_value is not null as has_shared_loyalty,
        case when shared_email.identifier_value is null then keyed.email_match_key end as match_email,
        case when shared_phone.identifier_value is null then keyed.phone_e164 end as match_phone,
        case when shared_loyalty.identifier_value is null then keyed.loyalty_id end as match_loyalty
    from keyed
    left join shared_identifiers as shared_email
        on shared_email.identifier_type = 'email' and keyed.email_match_key = shared_email.identifier_value
    left join shared_identifiers as shared_phone
        on shared_phone.identifier_type = 'phone' and keyed.phone_e164 = shared_phone.identifier_value
    left join shared_identifiers as shared_loyalty
        on shared_loyalty.identifier_type = 'loyalty' and keyed.loyalty_id = shared_loyalty.identifier_value
)

select * from final
