with

results as (
    select * from {{ ref('int_experiment_results_computed') }}
)

select
    cast(result_id as varchar) as result_id,
    cast(experiment_id as varchar) as experiment_id,
    cast(variant as varchar) as variant,
    cast(metric as varchar) as metric,
    cast(metric_kind as varchar) as metric_kind,
    cast(is_control as boolean) as is_control,
    cast(control_variant as varchar) as control_variant,
    cast(design_source as varchar) as design_source,
    cast(planned_share as double) as planned_share,
    cast(observed_share as double) as observed_share,
    cast(customers as bigint) as customers,
    cast(mean_value as double) as mean_value,
    cast(control_mean_value as double) as control_mean_value,
    cast(absolute_lift as double) as absolute_lift,
    cast(absolute_lift_low as double) as absolute_lift_low,
    cast(absolute_lift_high as double) as absolute_lift_high,
    cast(relative_lift as double) as relative_lift,
    cast(relative_lift_low as double) as relative_lift_low,
    cast(relative_lift_high as double) as relative_lift_high,
    cast(test_name as varchar) as test_name,
    cast(statistic as double) as statistic,
    cast(p_value as double) as p_value,
    cast(is_significant as boolean) as is_significant,
    cast(minimum_detectable_effect as double) as minimum_detectable_effect,
    cast(srm_chi_square as double) as srm_chi_square,
    cast(srm_p_value as double) as srm_p_value,
    cast(is_sample_ratio_mismatch as boolean) as is_sample_ratio_mismatch,
    cast(assignments as bigint) as assignments,
    cast(assignments_unresolved as bigint) as assignments_unresolved,
    cast(customers_in_several_variants as bigint) as customers_in_several_variants,
    cast(customers_window_incomplete as bigint) as customers_window_incomplete,
    cast(alpha as double) as alpha,
    cast(outcome_window_days as bigint) as outcome_window_days,
    cast(warning as varchar) as warning
from results
