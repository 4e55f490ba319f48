-- Every identifier value of an erased customer, in the lower-case form it takes in
-- raw text (contact ids, email match keys, loyalty ids, device ids, and the emails
-- as the CRM contacts hold them), for redacting raw rows that mention the person.
with

customers_erased as (
    select * from {{ ref('int_customers_erased') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

values_held as (
    select
        identifiers.customer_id,
        identifiers.identifier_value
    from identifiers
    inner join customers_erased on identifiers.customer_id = customers_erased.customer_id
    union
    select
        identifiers.customer_id,
        contacts.email as identifier_value
    from identifiers
    inner join customers_erased on identifiers.customer_id = customers_erased.customer_id
    inner join contacts
        on
            identifiers.identifier_type = 'contact_id'
            and identifiers.identifier_value = contacts.contact_id
    where contacts.email is not null
),

final as (
    select distinct
        customer_id,
        lower(identifier_value) as identifier_value
    from values_held
)

select * from final
