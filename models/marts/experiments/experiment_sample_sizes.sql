with

plans as (
    select * from {{ ref('int_experiment_sample_sizes_planned') }}
)

select
    cast(plan_id as varchar) as plan_id,
    cast(baseline_rate as double) as baseline_rate,
    cast(relative_lift as double) as relative_lift,
    cast(target_rate as double) as target_rate,
    cast(alpha as double) as alpha,
    cast(power as double) as power,
    cast(customers_per_variant as bigint) as customers_per_variant,
    cast(customers_in_two_variants as bigint) as customers_in_two_variants
from plans
