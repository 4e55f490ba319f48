-- The default as-of date: the latest day with a web event or an order, ignoring
-- timestamps after the machine's clock (they cannot be real and would otherwise
-- let one bad row move every time-relative feature). Set the `as_of_date` var to
-- override it for point-in-time builds.
with

web_events as (
    select {{ parse_timestamp('event_at') }} as occurred_at
    from {{ source('web', 'web_events') }}
),

orders as (
    select {{ parse_timestamp('order_at') }} as occurred_at
    from {{ source('shop', 'orders') }}
),

activity as (
    select occurred_at from web_events
    union all
    select occurred_at from orders
),

latest as (
    select cast(max(occurred_at) as date) as latest_activity_date
    from activity
    where occurred_at <= current_timestamp
)

select
    coalesce(latest_activity_date, current_date) as as_of_date,
    latest_activity_date is null as is_defaulted_to_today
from latest
