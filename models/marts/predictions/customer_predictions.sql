-- Every customer's predicted behaviour as of the as-of date: the purchase propensity
-- and, for past buyers, the churn probability (int_customer_propensities_scored) and
-- the expected purchase days and spend over the lifetime value horizon
-- (int_customer_lifetime_values_scored), with the horizons and fitted models they come
-- from; the evidence is in model_evaluations. Customers being erased are left out upstream.
{% set settings = var('predictions') %}
with

scores as (
    select * from {{ ref('int_customer_propensities_scored') }}
),

lifetime_values as (
    select * from {{ ref('int_customer_lifetime_values_scored') }}
),

final as (
    select
        scores.customer_id,
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date,
        scores.purchase_propensity,
        {{ settings['purchase_horizon_days'] }} as purchase_horizon_days,
        scores.churn_probability,
        {{ settings['churn_horizon_days'] }} as churn_horizon_days,
        lifetime_values.probability_alive,
        lifetime_values.expected_purchase_days,
        lifetime_values.expected_spend,
        {{ settings['clv_horizon_days'] }} as clv_horizon_days,
        scores.purchase_propensity_model_version,
        scores.churn_probability_model_version,
        coalesce(lifetime_values.clv_model_version, 'no_purchase') as clv_model_version
    from scores
    left join lifetime_values on scores.customer_id = lifetime_values.customer_id
)

select * from final
