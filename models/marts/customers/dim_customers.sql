-- One row per customer (a real person as far as the data can tell), with a golden
-- record built by documented survivorship rules from the person's CRM contacts:
--   email, phone, loyalty id: the most recently updated contact that has one;
--   first and last name, birth date: the most frequent value among the contacts,
--     ties to the most recently updated;
--   address (street, city, postcode, country): the most recently updated contact
--     with a postcode.
-- Customers known only from guest orders, email or loyalty activity take their email
-- or loyalty id from that identifier. Each chosen value names the contact it came from.
with

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

clusters as (
    select * from {{ ref('int_contacts_clustered') }}
),

customer_contacts as (
    select
        identifiers.customer_id,
        contacts.contact_id,
        contacts.email,
        contacts.first_name,
        contacts.first_name_key,
        contacts.last_name,
        contacts.last_name_key,
        contacts.phone_e164,
        contacts.date_of_birth,
        contacts.street_address,
        contacts.city,
        contacts.postcode,
        contacts.country_code,
        contacts.loyalty_id,
        coalesce(contacts.updated_at, contacts.created_at) as last_updated_at,
        count(*) over (
            partition by identifiers.customer_id, contacts.first_name_key, contacts.last_name_key
        ) as name_frequency,
        count(*) over (partition by identifiers.customer_id, contacts.date_of_birth) as birth_date_frequency
    from identifiers
    inner join contacts
        on identifiers.identifier_type = 'contact_id' and identifiers.identifier_value = contacts.contact_id
),

email_survivors as (
    {{ pick_survivor('customer_contacts', ['email'], 'last_updated_at desc nulls last, contact_id',
                     'email is not null', 'email') }}
),

phone_survivors as (
    {{ pick_survivor('customer_contacts', ['phone_e164'], 'last_updated_at desc nulls last, contact_id',
                     'phone_e164 is not null', 'phone') }}
),

loyalty_survivors as (
    {{ pick_survivor('customer_contacts', ['loyalty_id'], 'last_updated_at desc nulls last, contact_id',
                     'loyalty_id is not null', 'loyalty') }}
),

name_survivors as (
    {{ pick_survivor('customer_contacts', ['first_name', 'last_name'],
                     'name_frequency desc, last_updated_at desc nulls last, contact_id',
                     'first_name is not null or last_name is not null', 'name') }}
),

birth_date_survivors as (
    {{ pick_survivor('customer_contacts', ['date_of_birth'],
                     'birth_date_frequency desc, last_updated_at desc nulls last, contact_id',
                     'date_of_birth is not null', 'birth_date') }}
),

address_survivors as (
    {{ pick_survivor('customer_contacts', ['street_address', 'city', 'postcode', 'country_code'],
                     'last_updated_at desc nulls last, contact_id', 'postcode is not null', 'address') }}
),

customer_summary as (
    -- customers being erased are already left out
    select * from {{ ref('int_customers_summarised') }}
),

merge_refusals as (
    -- an inner join with the type filter in where: a left join carrying a filter on its
    -- left side in the join condition ran as a nested loop
    select
        identifiers.customer_id,
        bool_or(clusters.is_merge_refused) as is_merge_refused
    from identifiers
    inner join clusters on identifiers.identifier_value = clusters.contact_id
    where identifiers.identifier_type = 'contact_id'
    group by 1
),

final as (
    select
        customer_summary.customer_id,
        coalesce(email_survivors.email, customer_summary.identifier_email) as email,
        name_survivors.first_name,
        name_survivors.last_name,
        phone_survivors.phone_e164,
        address_survivors.street_address,
        address_survivors.city,
        address_survivors.postcode,
        address_survivors.country_code,
        coalesce(loyalty_survivors.loyalty_id, customer_summary.identifier_loyalty_id) as loyalty_id,
        email_survivors.email_source_contact_id,
        name_survivors.name_source_contact_id,
        phone_survivors.phone_source_contact_id,
        birth_date_survivors.birth_date_source_contact_id,
        address_survivors.address_source_contact_id,
        customer_summary.contact_records,
        customer_summary.email_addresses,
        customer_summary.loyalty_ids,
        customer_summary.anonymous_ids,
        customer_summary.contact_records = 0 as is_known_without_crm_record,
        customer_summary.has_shared_identifier,
        coalesce(merge_refusals.is_merge_refused, false) as is_merge_refused,
        birth_date_survivors.date_of_birth,
        customer_summary.first_seen_at
    from customer_summary
    left join email_survivors on customer_summary.customer_id = email_survivors.customer_id
    left join name_survivors on customer_summary.customer_id = name_survivors.customer_id
    left join phone_survivors on customer_summary.customer_id = phone_survivors.customer_id
    left join birth_date_survivors on customer_summary.customer_id = birth_date_survivors.customer_id
    left join address_survivors on customer_summary.customer_id = address_survivors.customer_id
    left join loyalty_survivors on customer_summary.customer_id = loyalty_survivors.customer_id
    left join merge_refusals on customer_summary.customer_id = merge_refusals.customer_id
)

select * from final
