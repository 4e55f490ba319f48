-- One row per customer with an email event before the as-of cutoff: sends, campaigns
-- opened and clicked, open and click rates (capped at 1: an open can be tracked
-- without its send) and the last open or click.
with

email_events as (
    select * from {{ ref('int_email_events_identified') }}
    where customer_id is not null
),

as_of as (
    select {{ as_of_cutoff(ref('base_run__as_of_date')) }} as as_of_cutoff
),

counted as (
    select
        email_events.customer_id,
        count(case when email_events.event_type = 'send' then 1 end) as email_sends,
        count(distinct case when email_events.event_type = 'open' then email_events.campaign_id end) as email_opens,
        count(distinct case when email_events.event_type = 'click' then email_events.campaign_id end)
            as email_clicks,
        max(case when email_events.event_type in ('open', 'click') then email_events.event_at end)
            as last_email_engagement_at
    from email_events
    cross join as_of
    where email_events.event_at < as_of.as_of_cutoff
    group by 1
),

summarised as (
    select
        customer_id,
        email_sends,
        email_opens,
        email_clicks,
        least(email_opens * 1.0 / nullif(email_sends, 0), 1) as email_open_rate,
        least(email_clicks * 1.0 / nullif(email_sends, 0), 1) as email_click_rate,
        last_email_engagement_at
    from counted
)

select * from summarised
