{{
    config(
        materialized='incremental',
        unique_key='feature_bin_run_id',
        on_schema_change='fail',
    )
}}
-- The distribution of every model input per build: quantile bins (drift_bins of
-- them; tied values merge bins) with their edges and the share of customers in each.
-- The next build measures its drift against these bins (feature_drift_history).
with

features as (
    select * from {{ ref('int_customer_model_inputs_filled') }}
),

feature_values as (
    {{ unpivot_features('features', var('segmentation')['features']) }}
),

tiles as (
    select
        feature_name,
        feature_value,
        ntile({{ var('drift_bins') }}) over (partition by feature_name order by feature_value) as tile
    from feature_values
),

tile_maxima as (
    select
        feature_name,
        tile,
        max(feature_value) as upper_edge
    from tiles
    group by 1, 2
),

tile_edges as (
    -- tied values can end several tiles: they make one edge
    select distinct
        feature_name,
        upper_edge
    from tile_maxima
),

numbered as (
    select
        feature_name,
        upper_edge,
        lag(upper_edge) over (partition by feature_name order by upper_edge) as lower_edge,
        row_number() over (partition by feature_name order by upper_edge) as bin_number,
        count(*) over (partition by feature_name) as bins
    from tile_edges
),

bins as (
    -- the first bin is open below and the last open above, so any later value has a bin
    select
        feature_name,
        bin_number,
        lower_edge,
        case when bin_number < bins then upper_edge end as upper_edge
    from numbered
),

counts as (
    select
        bins.feature_name,
        bins.bin_number,
        bins.lower_edge,
        bins.upper_edge,
        count(*) as customers
    from feature_values
    inner join bins
        on
            feature_values.feature_name = bins.feature_name
            and (bins.lower_edge is null or feature_values.feature_value > bins.lower_edge)
            and (bins.upper_edge is null or feature_values.feature_value <= bins.upper_edge)
    group by 1, 2, 3, 4
),

final as (
    select
        '{{ invocation_id }}:' || feature_name || ':' || cast(bin_number as varchar) as feature_bin_run_id,
        '{{ invocation_id }}' as run_id,
        feature_name,
        bin_number,
        lower_edge,
        upper_edge,
        customers,
        customers * 1.0 / sum(customers) over (partition by feature_name) as share,  -- noqa: RF04
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date,
        {{ run_started_timestamp() }} as run_started_at
    from counts
)

select * from final
