-- Every clean record that names a person (contacts, orders, till sales with a
-- loyalty card, email events, consent records) resolves to exactly one customer.
with

identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

records as (
    select
        'crm_contacts' as source_table,
        contact_id as record_id,
        'contact_id:' || contact_id as identifier_key
    from {{ ref('stg_crm__contacts') }}
    union all
    select
        'orders' as source_table,
        order_id as record_id,
        case
            when customer_ref_type = 'email' then 'email:' || customer_email_match_key
            else 'contact_id:' || customer_ref
        end as identifier_key
    from {{ ref('stg_shop__orders') }}
    -- an order naming a contact id that is not in the CRM has no person to resolve to
    where
        customer_ref_type = 'email'
        or customer_ref in (select crm.contact_id from {{ ref('stg_crm__contacts') }} as crm)
    union all
    select
        'pos_transactions' as source_table,
        transaction_id as record_id,
        'loyalty_id:' || loyalty_id as identifier_key
    from {{ ref('stg_pos__transactions') }}
    where loyalty_id is not null
    union all
    select
        'email_events' as source_table,
        email_event_id as record_id,
        'email:' || email_match_key as identifier_key
    from {{ ref('stg_email__events') }}
    union all
    select
        'consent_records' as source_table,
        consent_record_id as record_id,
        'email:' || email_match_key as identifier_key
    from {{ ref('stg_privacy__consent_records') }}
),

matched as (
    select
        records.source_table,
        records.record_id,
        count(identity_map.customer_id) as customers
    from records
    left join identity_map on records.identifier_key = identity_map.identifier_key
    group by 1, 2
)

select * from matched
where customers <> 1
