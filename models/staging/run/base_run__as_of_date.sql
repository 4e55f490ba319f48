-- The default as-of date: the latest day with a web event or an order, ignoring
-- timestamps after the machine's clock (they cannot be real and would otherwise
-- let one bad row move every time-relative feature). Set the `as_of_date` var to
-- override it for point-in-time builds.
with

raw_activity as (
    select latest_activity_at from {{ ref('base_run__raw_activity') }}
),

latest as (
    select cast(max(latest_activity_at) as date) as latest_activity_date
    from raw_activity
)

select
    coalesce(latest_activity_date, current_date) as as_of_date,
    latest_activity_date is null as is_defaulted_to_today
from latest
