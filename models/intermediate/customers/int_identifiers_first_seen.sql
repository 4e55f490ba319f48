-- One row per email and loyalty id seen anywhere: in a clean CRM contact or in any
-- activity (orders, email events, consent records, erasure requests, till sales),
-- with the earliest time it was seen (null when no sighting has a usable time).
with

contacts as (
    select * from {{ ref('int_contacts_prepared') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

email_events as (
    select * from {{ ref('stg_email__events') }}
),

consent_records as (
    select * from {{ ref('stg_privacy__consent_records') }}
),

erasure_requests as (
    select * from {{ ref('stg_privacy__erasure_requests') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

sightings as (
    -- every time an email or loyalty id appears, from contacts and activity
    select
        'email' as identifier_type,
        email_match_key as identifier_value,
        first_seen_at
    from contacts
    where email_match_key is not null
    union all
    select
        'email' as identifier_type,
        customer_email_match_key as identifier_value,
        ordered_at as first_seen_at
    from orders
    where customer_email_match_key is not null
    union all
    select
        'email' as identifier_type,
        email_match_key as identifier_value,
        event_at as first_seen_at
    from email_events
    union all
    select
        'email' as identifier_type,
        email_match_key as identifier_value,
        recorded_at as first_seen_at
    from consent_records
    union all
    select
        'email' as identifier_type,
        email_match_key as identifier_value,
        requested_at as first_seen_at
    from erasure_requests
    union all
    select
        'loyalty_id' as identifier_type,
        loyalty_id as identifier_value,
        first_seen_at
    from contacts
    where loyalty_id is not null
    union all
    select
        'loyalty_id' as identifier_type,
        loyalty_id as identifier_value,
        transacted_at as first_seen_at
    from pos_transactions
    where loyalty_id is not null
),

first_seen as (
    select
        identifier_type || ':' || identifier_value as identifier_key,
        identifier_type,
        identifier_value,
        min(first_seen_at) as first_seen_at
    from sightings
    group by 1, 2, 3
)

select * from first_seen
