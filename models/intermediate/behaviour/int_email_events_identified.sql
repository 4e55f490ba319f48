-- One row per email engagement event (send, open, click, bounce, unsubscribe), with
-- the recipient resolved to a customer; customers being erased are left out.
-- Published as fct_email_engagement.
with

email_events as (
    select * from {{ ref('stg_email__events') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
)

select
    email_events.email_event_id,
    identifiers.customer_id,
    email_events.campaign_id,
    email_events.event_type,
    cast(email_events.event_at as date) as event_date,
    email_events.event_at
from email_events
left join identifiers on identifiers.identifier_key = 'email:' || email_events.email_match_key
where {{ is_not_erased('identifiers.customer_id', 'erased') }}
