-- The evidence behind customer_predictions and customer_recommendations: every metric
-- of the latest run, out of time — the propensity models'
-- (int_propensity_models_evaluated), the lifetime value models' holdout check
-- (int_lifetime_value_models_evaluated) and the recommendation methods' offline
-- evaluation (int_recommendation_models_evaluated) — with the as-of date it ran at.
{#- the report's columns, by name: the propensity evaluation also carries its inputs_fingerprint -#}
{% set report_columns = [
    'target', 'method', 'metric', 'bucket', 'feature', 'value', 'is_chosen', 'training_rows',
    'validation_rows', 'validation_cutoff', 'hyperparameters', 'warning',
] %}
with

propensity_evaluations as (
    select * from {{ ref('int_propensity_models_evaluated') }}
),

lifetime_value_evaluations as (
    select * from {{ ref('int_lifetime_value_models_evaluated') }}
),

recommendation_evaluations as (
    select * from {{ ref('int_recommendation_models_evaluated') }}
),

evaluations as (
    select {{ report_columns | join(', ') }} from propensity_evaluations
    union all
    select {{ report_columns | join(', ') }} from lifetime_value_evaluations
    union all
    select {{ report_columns | join(', ') }} from recommendation_evaluations
),

final as (
    select
        {{ dbt.concat([
            'target', "':'", 'method', "':'", 'metric', "':'",
            "coalesce(" ~ dbt.cast('bucket', dbt.type_string()) ~ ", '')", "':'", "coalesce(feature, '')",
        ]) }} as evaluation_id,
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date,
        target,
        method,
        metric,
        cast(bucket as integer) as bucket,
        cast(feature as varchar) as feature,
        -- the reports' column is `value`, a keyword: published as metric_value
        cast(value as double) as metric_value,  -- noqa: RF04
        is_chosen,
        training_rows,
        validation_rows,
        cast(validation_cutoff as date) as validation_cutoff,
        hyperparameters,
        -- all-null columns from Python arrive untyped
        cast(warning as varchar) as warning
    from evaluations
)

select * from final
