-- One row per customer that is not being erased: how many identifiers of each kind
-- resolve to the customer, the email and loyalty id known from identifiers alone (for
-- customers without a CRM record) and when the customer was first seen. The spine of
-- dim_customers and of the customer features.
with

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
),

summarised as (
    select
        customer_id,
        count(case when identifier_type = 'contact_id' then 1 end) as contact_records,
        count(case when identifier_type = 'email' then 1 end) as email_addresses,
        count(case when identifier_type = 'loyalty_id' then 1 end) as loyalty_ids,
        count(case when identifier_type = 'anonymous_id' then 1 end) as anonymous_ids,
        min(case
            when identifier_type = 'email' and not is_shared_identifier then identifier_value
        end) as identifier_email,
        min(case
            when identifier_type = 'loyalty_id' and not is_shared_identifier then identifier_value
        end) as identifier_loyalty_id,
        bool_or(is_shared_identifier) as has_shared_identifier,
        min(first_seen_at) as first_seen_at
    from identifiers
    group by 1
)

select * from summarised
where {{ is_not_erased('summarised.customer_id', 'erased') }}
