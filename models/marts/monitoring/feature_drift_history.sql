{{
    config(
        materialized='incremental',
        unique_key='feature_run_id',
        on_schema_change='fail',
    )
}}
-- Per build and model input: the population stability index of this build's values
-- over the previous build's bins (feature_distribution_history), null on the first
-- build. is_drifting when PSI exceeds drift_psi_warning (0.2).
with

features as (
    select * from {{ ref('int_customer_model_inputs_filled') }}
),

history as (
    select * from {{ ref('feature_distribution_history') }}
),

feature_values as (
    {{ unpivot_features('features', var('segmentation')['features']) }}
),

previous_run as (
    select
        run_id,
        run_started_at
    from history
    where run_id <> '{{ invocation_id }}'
    order by 2 desc, 1 desc
    limit 1
),

previous_bins as (
    select history.*
    from history
    inner join previous_run on history.run_id = previous_run.run_id
),

current_counts as (
    select
        previous_bins.feature_name,
        previous_bins.bin_number,
        previous_bins.share as previous_share,
        count(feature_values.feature_value) as customers
    from previous_bins
    left join feature_values
        on
            previous_bins.feature_name = feature_values.feature_name
            and (previous_bins.lower_edge is null or previous_bins.lower_edge < feature_values.feature_value)
            and (previous_bins.upper_edge is null or previous_bins.upper_edge >= feature_values.feature_value)
    group by 1, 2, 3
),

shares as (
    select
        feature_name,
        previous_share,
        customers * 1.0 / nullif(sum(customers) over (partition by feature_name), 0) as current_share
    from current_counts
),

psi as (
    select
        feature_name,
        {{ population_stability_index('current_share', 'previous_share') }} as psi
    from shares
    group by 1
),

monitored as (
    {%- for feature in var('segmentation')['features'] %}
        select '{{ feature }}' as feature_name
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        '{{ invocation_id }}:' || monitored.feature_name as feature_run_id,
        '{{ invocation_id }}' as run_id,
        monitored.feature_name,
        previous_run.run_id as previous_run_id,
        psi.psi,
        coalesce(psi.psi > {{ var('drift_psi_warning') }}, false) as is_drifting,
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date,
        {{ run_started_timestamp() }} as run_started_at
    from monitored
    left join psi on monitored.feature_name = psi.feature_name
    left join previous_run on true
)

select * from final
