{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='cutoff_date',
        on_schema_change='fail',
        post_hook=["delete from {{ this }} where cutoff_date not in (select cutoff_date from {{ ref('int_prediction_cutoffs') }})"],
    )
}}
-- The prediction features of every customer at every cutoff (int_prediction_cutoffs),
-- each computed from events strictly before its cutoff, so a training row sees what
-- was known on that day and nothing later (tests/python/test_point_in_time.py). At a
-- training cutoff the customers first seen before it; at the scoring cutoff every
-- customer (those not yet seen have no activity: zero counts, null recencies).
-- Counts are purchase days (two orders on one day count once), as in the BTYD summary.
-- Identity is point in time too: an anonymous device's sessions count for its
-- customer only at cutoffs after the device's first login (before it, nobody knew
-- whose they were, though the identified sessions now carry the customer id).
--
-- Incremental by cutoff: the features at a cutoff read only the rows counted before it
-- (a customer first seen, a purchase day, a session whose device was identified by
-- then, an email open or click), so a training cutoff's rows change only when one of
-- those rows does. Each cutoff's inputs_fingerprint adds up the hashes of the input
-- rows counted before it (summed per day first: one pass over the inputs, not one per
-- cutoff), with the cutoff's flags and this model's code. A run recomputes the scoring
-- cutoff (it moves with the as-of date) and each training cutoff whose fingerprint is
-- not the stored one, replaces those cutoffs' rows (delete+insert by cutoff_date),
-- keeps the other cutoffs' rows, and its post-hook removes the dates that are no
-- cutoff any more. Kept rows are what a full refresh computes from the same inputs
-- (tests/python/test_incremental.py).
-- dbt.datediff renders longer than a line:
-- noqa: disable=LT05
with

cutoffs as (
    select * from {{ ref('int_prediction_cutoffs') }}
),

customers as (
    select * from {{ ref('int_customers_summarised') }}
),

sales as (
    select * from {{ ref('int_sales_filtered') }}
    where is_revenue
),

sessions as (
    select * from {{ ref('int_web_sessions_aggregated') }}
    where not is_bot and customer_id is not null
),

devices as (
    select
        identifier_value as anonymous_id,
        first_seen_at as identified_at
    from {{ ref('int_identifiers_resolved') }}
    where identifier_type = 'anonymous_id'
),

-- when a session counts: once it and its device's first login are both before the
-- cutoff (a device identified by no login of its own, shared by several customers,
-- has its sessions identified event by event, by the logins in them); the features
-- and the fingerprint read this one rule
sessions_counted as (
    select
        sessions.customer_id,
        sessions.started_at,
        sessions.product_views,
        sessions.add_to_cart_events,
        case
            when devices.identified_at > sessions.started_at then devices.identified_at
            else sessions.started_at
        end as counted_at
    from sessions
    left join devices on sessions.anonymous_id = devices.anonymous_id
),

email_events as (
    select * from {{ ref('int_email_events_identified') }}
    where customer_id is not null and event_type in ('open', 'click')
),

purchase_days as (
    select
        customer_id,
        sale_date,
        sum(net_revenue_reporting) as day_revenue
    from sales
    group by 1, 2
),

{# the inputs the fingerprint covers: (name, relation, the time from which the features
    count a row, the columns they read); the union below and the fingerprint's sums
    both loop over this one list #}
{% set fingerprint_inputs = [
    ('customers', 'customers', 'first_seen_at', ['customer_id', 'first_seen_at']),
    ('purchase_days', 'purchase_days', 'sale_date', ['customer_id', 'sale_date', 'day_revenue']),
    ('sessions', 'sessions_counted', 'counted_at',
        ['customer_id', 'started_at', 'product_views', 'add_to_cart_events']),
    ('email_events', 'email_events', 'event_at', ['customer_id', 'event_type', 'campaign_id', 'event_at']),
] %}
-- every input row, the day from which the features count it, and its hash
input_rows as (
    {%- for input_name, relation, counted_from, columns in fingerprint_inputs %}
        select
            '{{ input_name }}' as input_name,
            cast({{ counted_from }} as date) as counted_from,
            {{ values_hash(columns) }} as row_hash
        from {{ relation }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

daily_input_hashes as (
    select
        input_name,
        counted_from,
        sum(row_hash) as hash_sum,
        count(*) as row_count
    from input_rows
    where counted_from is not null
    group by 1, 2
),

{%- set fingerprinted = [
    "'" ~ local_md5(model.raw_code ~ dbt_version) ~ "'",
    dbt.cast('cutoffs.cutoff_date', dbt.type_string()),
    dbt.cast('cutoffs.is_scoring_cutoff', dbt.type_string()),
    dbt.cast('cutoffs.is_validation_cutoff', dbt.type_string()),
] %}
{%- for input_name in fingerprint_inputs | map(attribute=0) %}
    {%- for measure in ['hash_sum', 'row_count'] %}
        {%- do fingerprinted.extend(["':'", dbt.cast(
            "coalesce(sum(case when daily_input_hashes.input_name = '" ~ input_name ~ "' then daily_input_hashes."
            ~ measure ~ " end), 0)", dbt.type_string()
        )]) %}
    {%- endfor %}
{%- endfor %}

fingerprinted_cutoffs as (
    select
        cutoffs.cutoff_date,
        cutoffs.is_scoring_cutoff,
        cutoffs.is_validation_cutoff,
        {{ dbt.hash(dbt.concat(fingerprinted)) }} as inputs_fingerprint
    from cutoffs
    left join daily_input_hashes on cutoffs.cutoff_date > daily_input_hashes.counted_from
    group by 1, 2, 3
),

{% if is_incremental() %}
stored_cutoffs as (
    select distinct
        cutoff_date,
        inputs_fingerprint
    from {{ this }}
    where not is_scoring_cutoff
),
{% endif %}

-- the cutoffs this run computes: all on a full build
recomputed_cutoffs as (
    select * from fingerprinted_cutoffs
    {%- if is_incremental() %}
        where
            is_scoring_cutoff
            or not exists (
                select 1 from stored_cutoffs
                where
                    stored_cutoffs.cutoff_date = fingerprinted_cutoffs.cutoff_date
                    and stored_cutoffs.inputs_fingerprint = fingerprinted_cutoffs.inputs_fingerprint
            )
    {%- endif %}
),

population as (
    select
        customers.customer_id,
        cutoffs.cutoff_date,
        cutoffs.is_scoring_cutoff,
        cutoffs.is_validation_cutoff,
        cutoffs.inputs_fingerprint,
        {{ dbt.datediff('customers.first_seen_at', 'cutoffs.cutoff_date', 'day') }} as days_since_first_seen
    from customers
    cross join recomputed_cutoffs as cutoffs
    where cutoffs.is_scoring_cutoff or customers.first_seen_at < cutoffs.cutoff_date
),

purchases as (
    select
        purchase_days.customer_id,
        cutoffs.cutoff_date,
        count(*) as purchase_days_total,
        count(case when {{ dbt.datediff('purchase_days.sale_date', 'cutoffs.cutoff_date', 'day') }} <= 30 then 1 end)
            as purchase_days_30d,
        count(case when {{ dbt.datediff('purchase_days.sale_date', 'cutoffs.cutoff_date', 'day') }} <= 90 then 1 end)
            as purchase_days_90d,
        count(case when {{ dbt.datediff('purchase_days.sale_date', 'cutoffs.cutoff_date', 'day') }} <= 365 then 1 end)
            as purchase_days_365d,
        sum(purchase_days.day_revenue) as revenue_total,
        coalesce(sum(
            case when {{ dbt.datediff('purchase_days.sale_date', 'cutoffs.cutoff_date', 'day') }} <= 365 then purchase_days.day_revenue end
        ), 0) as revenue_365d,
        min({{ dbt.datediff('purchase_days.sale_date', 'cutoffs.cutoff_date', 'day') }}) as days_since_last_purchase,
        max({{ dbt.datediff('purchase_days.sale_date', 'cutoffs.cutoff_date', 'day') }}) as days_since_first_purchase
    from purchase_days
    inner join recomputed_cutoffs as cutoffs on purchase_days.sale_date < cutoffs.cutoff_date
    group by 1, 2
),

browsing as (
    select
        sessions.customer_id,
        cutoffs.cutoff_date,
        count(case when {{ dbt.datediff('sessions.started_at', 'cutoffs.cutoff_date', 'day') }} <= 30 then 1 end)
            as sessions_30d,
        count(case when {{ dbt.datediff('sessions.started_at', 'cutoffs.cutoff_date', 'day') }} <= 90 then 1 end)
            as sessions_90d,
        coalesce(sum(
            case when {{ dbt.datediff('sessions.started_at', 'cutoffs.cutoff_date', 'day') }} <= 30 then sessions.product_views end
        ), 0) as product_views_30d,
        coalesce(sum(
            case when {{ dbt.datediff('sessions.started_at', 'cutoffs.cutoff_date', 'day') }} <= 30 then sessions.add_to_cart_events end
        ), 0) as add_to_cart_events_30d,
        min({{ dbt.datediff('sessions.started_at', 'cutoffs.cutoff_date', 'day') }}) as days_since_last_session
    from sessions_counted as sessions
    inner join recomputed_cutoffs as cutoffs on sessions.counted_at < cutoffs.cutoff_date
    group by 1, 2
),

email_engagement as (
    select
        email_events.customer_id,
        cutoffs.cutoff_date,
        count(distinct case
            when
                email_events.event_type = 'open'
                and {{ dbt.datediff('email_events.event_at', 'cutoffs.cutoff_date', 'day') }} <= 90
                then email_events.campaign_id
        end) as email_opens_90d,
        count(distinct case
            when
                email_events.event_type = 'click'
                and {{ dbt.datediff('email_events.event_at', 'cutoffs.cutoff_date', 'day') }} <= 90
                then email_events.campaign_id
        end) as email_clicks_90d,
        min({{ dbt.datediff('email_events.event_at', 'cutoffs.cutoff_date', 'day') }}) as days_since_last_email_engagement
    from email_events
    inner join recomputed_cutoffs as cutoffs on email_events.event_at < cutoffs.cutoff_date
    group by 1, 2
),

final as (
    select
        population.customer_id,
        population.cutoff_date,
        population.is_scoring_cutoff,
        population.is_validation_cutoff,
        population.days_since_first_seen,
        coalesce(purchases.purchase_days_total, 0) as purchase_days_total,
        coalesce(purchases.purchase_days_30d, 0) as purchase_days_30d,
        coalesce(purchases.purchase_days_90d, 0) as purchase_days_90d,
        coalesce(purchases.purchase_days_365d, 0) as purchase_days_365d,
        coalesce(purchases.revenue_total, 0) as revenue_total,
        coalesce(purchases.revenue_365d, 0) as revenue_365d,
        purchases.days_since_last_purchase,
        purchases.days_since_first_purchase,
        coalesce(browsing.sessions_30d, 0) as sessions_30d,
        coalesce(browsing.sessions_90d, 0) as sessions_90d,
        coalesce(browsing.product_views_30d, 0) as product_views_30d,
        coalesce(browsing.add_to_cart_events_30d, 0) as add_to_cart_events_30d,
        browsing.days_since_last_session,
        coalesce(email_engagement.email_opens_90d, 0) as email_opens_90d,
        coalesce(email_engagement.email_clicks_90d, 0) as email_clicks_90d,
        email_engagement.days_since_last_email_engagement,
        {{ dbt.concat(['population.customer_id', "':'", dbt.cast('population.cutoff_date', dbt.type_string())]) }}
            as customer_cutoff_id,
        population.inputs_fingerprint,
        {{ run_started_timestamp() }} as computed_at
    from population
    left join purchases
        on population.customer_id = purchases.customer_id and population.cutoff_date = purchases.cutoff_date
    left join browsing
        on population.customer_id = browsing.customer_id and population.cutoff_date = browsing.cutoff_date
    left join email_engagement
        on population.customer_id = email_engagement.customer_id and population.cutoff_date = email_engagement.cutoff_date
)

select * from final
