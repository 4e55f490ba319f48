-- The dates predictions are made at, one row each. The scoring cutoff is midnight
-- after the as-of date: the scores use everything before it. The training cutoffs are
-- the first days of the `training_cutoffs` latest months whose outcome window (the
-- longest horizon, `churn_horizon_days`) ended by the scoring cutoff, so every label
-- is observed in full. The latest of them validates; the earlier ones train.
{% set settings = var('predictions') %}
with

scoring as (
    select cast({{ as_of_cutoff(ref('base_run__as_of_date')) }} as date) as cutoff_date
),

latest_training as (
    select
        cast({{ dbt.date_trunc('month', dbt.dateadd('day', -settings['churn_horizon_days'], 'cutoff_date')) }} as date)
            as cutoff_date
    from scoring
),

cutoffs as (
    select
        cutoff_date,
        true as is_scoring_cutoff,
        0 as months_before_latest_training
    from scoring
    {%- for months in range(settings['training_cutoffs']) %}
    union all
    select
        cast({{ dbt.dateadd('month', -months, 'cutoff_date') }} as date) as cutoff_date,
        false as is_scoring_cutoff,
        {{ months }} as months_before_latest_training
    from latest_training
    {%- endfor %}
),

final as (
    select
        cutoff_date,
        is_scoring_cutoff,
        not is_scoring_cutoff and months_before_latest_training = 0 as is_validation_cutoff
    from cutoffs
)

select * from final
