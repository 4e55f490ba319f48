-- Plan the next experiment: how many customers it needs. For each experiment already
-- run, the control's observed conversion rate and customers per variant, and for each
-- relative lift of the planning table (experiment_sample_sizes, at the experiments
-- var's alpha and power) the customers per variant needed at the nearest planned
-- baseline rate, and whether the experiment had them. For a baseline and lift of your
-- own, add them to `planning_baseline_rates` / `planning_relative_lifts` and rebuild
-- experiment_sample_sizes, or run `python -m c360.experiments plan --baseline 0.05
-- --relative-lift 0.1`. Compile and run the SQL:
--   dbt compile --select experiment_sample_size_planning
--   then run target/compiled/c360/analyses/experiment_sample_size_planning.sql in DuckDB.
with

controls as (
    select
        experiment_id,
        mean_value as control_conversion_rate,
        customers as control_customers
    from {{ ref('experiment_results') }}
    where is_control and metric = 'conversion'
),

plans as (
    select * from {{ ref('experiment_sample_sizes') }}
),

nearest_baseline as (
    select
        controls.experiment_id,
        {{ value_at('plans.baseline_rate', 'abs(plans.baseline_rate - controls.control_conversion_rate)', 'min') }}
            as planned_baseline_rate
    from controls
    cross join plans
    group by 1
),

final as (
    select
        controls.experiment_id,
        controls.control_conversion_rate,
        controls.control_customers,
        plans.baseline_rate as planned_baseline_rate,
        plans.relative_lift,
        plans.target_rate,
        plans.customers_per_variant as customers_per_variant_needed,
        controls.control_customers >= plans.customers_per_variant as had_enough_customers
    from controls
    inner join nearest_baseline on controls.experiment_id = nearest_baseline.experiment_id
    inner join plans on nearest_baseline.planned_baseline_rate = plans.baseline_rate
)

select * from final
order by 1, 5
