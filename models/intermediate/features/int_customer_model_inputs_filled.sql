-- The inputs of the segmentation models (the `features` of the `segmentation` var),
-- one row per customer, as doubles with no missing values. Recency-type inputs
-- (`longest_ago` below) without any activity become one more than the largest
-- observed value (longer ago than anyone seen), or 0 when no customer has any (a
-- constant carries no information), flagged in is_inactive; every other missing
-- input becomes 0 (avg_order_value without orders; tenure_days when no identifier
-- has a usable time).
{% set longest_ago = ['recency_days', 'days_since_last_activity'] %}

-- noqa: disable=LT02
with

features as (
    select * from {{ ref('int_customer_features_assembled') }}
),

filled as (
    select
        customer_id,
        days_since_last_activity is null as is_inactive,
        {%- for feature in var('segmentation')['features'] %}
        {%- if feature in longest_ago %}
        cast(coalesce({{ feature }}, max({{ feature }}) over () + 1, 0) as double) as {{ feature }}
        {%- else %}
        cast(coalesce({{ feature }}, 0) as double) as {{ feature }}
        {%- endif %}{{ "," if not loop.last }}
        {%- endfor %}
    from features
)

select * from filled
