-- The latest build's drift at a glance: the PSI of every model input against the
-- previous build (feature_drift_history) and of the segment mix (customers' primary
-- segments, plus those in none, from segment_size_history), flagged above
-- drift_psi_warning. A warn-severity test surfaces flagged rows in `dbt build`.
with

feature_drift as (
    select * from {{ ref('feature_drift_history') }}
),

segment_sizes as (
    select * from {{ ref('segment_size_history') }}
),

segment_mix as (
    -- share of customers per primary segment, and the share in no segment
    select
        segment_sizes.run_id,
        segment_sizes.segment_id,
        segment_sizes.primary_share
    from segment_sizes
    union all
    select
        run_id,
        '(none)' as segment_id,
        1 - sum(primary_share) as primary_share
    from segment_sizes
    group by 1
),

latest_feature_run as (
    select
        run_id,
        run_started_at
    from feature_drift
    order by 2 desc, 1 desc
    limit 1
),

segment_run_times as (
    select distinct
        run_id,
        run_started_at
    from segment_sizes
),

segment_runs as (
    select
        run_id,
        run_started_at,
        row_number() over (order by run_started_at desc, run_id desc) as recency_rank
    from segment_run_times
),

latest_mix as (
    select segment_mix.*
    from segment_mix
    inner join segment_runs on segment_mix.run_id = segment_runs.run_id
    where segment_runs.recency_rank = 1
),

previous_mix as (
    select segment_mix.*
    from segment_mix
    inner join segment_runs on segment_mix.run_id = segment_runs.run_id
    where segment_runs.recency_rank = 2
),

mix_pairs as (
    select
        coalesce(latest_mix.segment_id, previous_mix.segment_id) as segment_id,
        coalesce(latest_mix.primary_share, 0) as current_share,
        coalesce(previous_mix.primary_share, 0) as previous_share
    from latest_mix
    full outer join previous_mix on latest_mix.segment_id = previous_mix.segment_id
),

segment_psi as (
    select
        'segment_mix' as metric_type,
        'primary_segment_shares' as metric_name,
        case
            when (select count(*) from segment_runs) > 1
                then {{ population_stability_index('current_share', 'previous_share') }}
        end as psi
    from mix_pairs
),

metrics as (
    select
        'feature' as metric_type,
        feature_drift.feature_name as metric_name,
        feature_drift.psi
    from feature_drift
    inner join latest_feature_run on feature_drift.run_id = latest_feature_run.run_id
    union all
    select * from segment_psi
),

final as (
    select
        metric_type || ':' || metric_name as drift_metric_id,
        metric_type,
        metric_name,
        psi,
        coalesce(psi > {{ var('drift_psi_warning') }}, false) as is_warning,
        cast({{ var('drift_psi_warning') }} as double) as psi_warning_threshold,
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date
    from metrics
)

select * from final
