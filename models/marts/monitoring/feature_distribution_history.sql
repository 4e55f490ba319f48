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
        case when bin_number < bins then upper_edge end as upper_edge,
        upper_edge as closing_value
    from numbered
),

-- each value's bin without comparing every value with every bin: a value falls in
-- the bin its tile's maximum closes, except a value equal to the previous tile's
-- maximum (ties across tiles), which falls in that one's bin. Tiles follow the value
-- order, so no other bin can hold it (test_feature_bins_merge_ties_across_tiles). At
-- 1,000,000 customers the select took 3.4 and 3.5 s against 11.4 and 11.6 s with a
-- join on the bins' edges (in-process, 2 threads, 2,400 MB), the same 87 rows.
tile_bounds as (
    select
        feature_name,
        tile,
        upper_edge,
        lag(upper_edge) over (partition by feature_name order by tile) as previous_upper_edge
    from tile_maxima
),

binned as (
    select
        tiles.feature_name,
        case
            when tiles.feature_value = tile_bounds.previous_upper_edge then tile_bounds.previous_upper_edge
            else tile_bounds.upper_edge
        end as closing_value
    from tiles
    inner join tile_bounds
        on tiles.feature_name = tile_bounds.feature_name and tiles.tile = tile_bounds.tile
),

bin_counts as (
    select
        feature_name,
        closing_value,
        count(*) as customers
    from binned
    group by 1, 2
),

counts as (
    select
        bins.feature_name,
        bins.bin_number,
        bins.lower_edge,
        bins.upper_edge,
        bin_counts.customers
    from bins
    inner join bin_counts
        on bins.feature_name = bin_counts.feature_name and bins.closing_value = bin_counts.closing_value
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
