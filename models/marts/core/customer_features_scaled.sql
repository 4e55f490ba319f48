-- The numeric features the segmentation models read, with missing values made
-- explicit and two scaled copies of each: z-score ((x - mean) / standard deviation,
-- 0 when the deviation is 0) and min-max ((x - min) / (max - min), 0 when max = min).
-- Missing-value rules: avg_order_value without orders -> 0 (no spend per order);
-- recency_days and days_since_last_activity without any activity -> one more than
-- the largest observed value (longer ago than anyone seen), or 0 when no customer
-- has any (a constant carries no information to the models), flagged in is_inactive;
-- tenure_days when no identifier has a usable time -> 0.
{% set features = [
    'orders_count', 'monetary_value', 'avg_order_value', 'recency_days', 'tenure_days',
    'orders_90d', 'spend_90d', 'sessions_90d', 'views_90d', 'sessions_count',
    'avg_session_duration_seconds', 'email_open_rate', 'email_click_rate',
    'category_entropy', 'discount_share', 'engagement_score', 'days_since_last_activity',
    'btyd_frequency',
] %}

-- noqa: disable=LT02
with

features as (
    select * from {{ ref('customer_features') }}
),

filled as (
    select
        customer_id,
        days_since_last_activity is null as is_inactive,
        cast(orders_count as double) as orders_count,
        cast(monetary_value as double) as monetary_value,
        coalesce(avg_order_value, 0) as avg_order_value,
        cast(coalesce(recency_days, max(recency_days) over () + 1, 0) as double) as recency_days,
        cast(coalesce(tenure_days, 0) as double) as tenure_days,
        cast(orders_90d as double) as orders_90d,
        cast(spend_90d as double) as spend_90d,
        cast(sessions_90d as double) as sessions_90d,
        cast(views_90d as double) as views_90d,
        cast(sessions_count as double) as sessions_count,
        avg_session_duration_seconds,
        email_open_rate,
        email_click_rate,
        category_entropy,
        discount_share,
        engagement_score,
        cast(coalesce(days_since_last_activity, max(days_since_last_activity) over () + 1, 0) as double)
            as days_since_last_activity,
        cast(btyd_frequency as double) as btyd_frequency
    from features
),

final as (
    select
        customer_id,
        is_inactive,
    {%- for feature in features %}
        {{ feature }},
        coalesce(
            ({{ feature }} - avg({{ feature }}) over ()) / nullif(stddev_pop({{ feature }}) over (), 0), 0
        ) as {{ feature }}_z,
        coalesce(
            ({{ feature }} - min({{ feature }}) over ())
            / nullif(max({{ feature }}) over () - min({{ feature }}) over (), 0),
            0
        ) as {{ feature }}_minmax{{ "," if not loop.last }}
    
    {%- endfor %}
    from filled
)

select * from final
