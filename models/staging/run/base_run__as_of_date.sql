-- The default as-of date: the latest day with a web event or an order, ignoring
-- timestamps after the machine's clock (they cannot be real and would otherwise
-- let one bad row move every time-relative feature). With neither (a CRM-only or
-- till-only export), the latest day with a till sale, an email event or a CRM
-- update; with none of those either, today. Set the `as_of_date` var to override it
-- for point-in-time builds.
with

raw_activity as (
    select
        is_fallback_source,
        latest_activity_at
    from {{ ref('base_run__raw_activity') }}
),

latest as (
    select
        cast(max(case when not is_fallback_source then latest_activity_at end) as date) as latest_activity_date,
        cast(max(case when is_fallback_source then latest_activity_at end) as date) as latest_fallback_date
    from raw_activity
)

select
    coalesce(latest_activity_date, latest_fallback_date, current_date) as as_of_date,
    case
        when latest_activity_date is not null then 'web_events_and_orders'
        when latest_fallback_date is not null then 'till_email_and_crm'
        else 'today'
    end as as_of_date_basis,
    latest_activity_date is null and latest_fallback_date is null as is_defaulted_to_today
from latest
