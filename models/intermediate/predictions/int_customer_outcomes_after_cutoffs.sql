-- What each customer did after each training cutoff (int_prediction_cutoffs): the
-- labels the propensity models learn from, one row per customer and training cutoff
-- of int_customer_features_at_cutoffs. Purchase days in the `purchase_horizon_days`
-- and `churn_horizon_days` after the cutoff (both windows end before the scoring
-- cutoff, so every label is observed in full); the scoring cutoff has no outcome yet.
{% set settings = var('predictions') %}
-- dbt.datediff renders longer than a line:
-- noqa: disable=LT05
with

features as (
    select * from {{ ref('int_customer_features_at_cutoffs') }}
    where not is_scoring_cutoff
),

sales as (
    select * from {{ ref('int_sales_filtered') }}
    where is_revenue
),

purchase_days as (
    select distinct
        customer_id,
        sale_date
    from sales
),

outcomes as (
    select
        features.customer_cutoff_id,
        count(case
            when {{ dbt.datediff('features.cutoff_date', 'purchase_days.sale_date', 'day') }} < {{ settings['purchase_horizon_days'] }}
                then 1
        end) as purchase_days_next_purchase_horizon,
        count(purchase_days.sale_date) as purchase_days_next_churn_horizon
    from features
    left join purchase_days
        on
            features.customer_id = purchase_days.customer_id
            and features.cutoff_date <= purchase_days.sale_date
            and {{ dbt.datediff('features.cutoff_date', 'purchase_days.sale_date', 'day') }} < {{ settings['churn_horizon_days'] }}
    group by 1
),

final as (
    select
        features.customer_cutoff_id,
        features.customer_id,
        features.cutoff_date,
        outcomes.purchase_days_next_purchase_horizon > 0 as purchased_within_purchase_horizon,
        features.purchase_days_total > 0 as is_churn_eligible,
        case
            when features.purchase_days_total > 0 then outcomes.purchase_days_next_churn_horizon = 0
        end as churned_within_churn_horizon
    from features
    inner join outcomes on features.customer_cutoff_id = outcomes.customer_cutoff_id
)

select * from final
