-- What every segmentation run chose and how good it is: one row per clustering
-- candidate (K-Means and Gaussian mixtures over the k range, the DBSCAN density
-- view) and one per outlier detector, with scores, training sizes and warnings.
with

candidates as (
    select * from {{ ref('int_cluster_candidates_scored') }}
),

outliers as (
    select * from {{ ref('int_customer_outliers_detected') }}
),

detectors as (
    select
        'z_score' as algorithm,
        count(case when is_z_outlier then 1 end) as flagged,
        count(*) as scored,
        min(training_rows) as training_rows
    from outliers
    union all
    select
        'isolation_forest' as algorithm,
        count(case when is_isolation_forest_outlier then 1 end) as flagged,
        count(*) as scored,
        min(training_rows) as training_rows
    from outliers
    union all
    select
        'local_outlier_factor' as algorithm,
        count(case when is_lof_outlier then 1 end) as flagged,
        count(*) as scored,
        min(training_rows) as training_rows
    from outliers
    union all
    select
        'consensus' as algorithm,
        count(case when is_outlier then 1 end) as flagged,
        count(*) as scored,
        min(training_rows) as training_rows
    from outliers
),

run_metadata as (
    select
        md5(min(hyperparameters) || ':' || cast({{ as_of_date(ref('base_run__as_of_date')) }} as varchar)) as run_id,
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date,
        min(hyperparameters) as hyperparameters
    from candidates
),

unioned as (
    select
        'clustering' as step,
        candidates.algorithm,
        cast(candidates.k as integer) as k,
        -- all-null columns from Python arrive untyped when a run was skipped
        cast(candidates.silhouette as double) as silhouette,
        cast(candidates.inertia as double) as inertia,
        cast(candidates.bic as double) as bic,
        cast(candidates.aic as double) as aic,
        cast(candidates.noise_share as double) as noise_share,
        cast(candidates.stability_ari as double) as stability_ari,
        candidates.is_chosen,
        cast(candidates.warning as varchar) as warning,  -- all-null from Python when no warning
        cast(candidates.training_rows as bigint) as training_rows,
        cast(candidates.silhouette_sample_rows as bigint) as silhouette_sample_rows,
        cast(null as bigint) as customers_flagged,
        cast(null as bigint) as customers_scored
    from candidates
    union all
    select
        'outliers' as step,
        detectors.algorithm,
        null as k,
        null as silhouette,
        null as inertia,
        null as bic,
        null as aic,
        null as noise_share,
        null as stability_ari,
        detectors.algorithm = 'consensus' as is_chosen,
        cast(null as varchar) as warning,
        detectors.training_rows,
        null as silhouette_sample_rows,
        detectors.flagged as customers_flagged,
        detectors.scored as customers_scored
    from detectors
),

final as (
    select
        run_metadata.run_id || ':' || unioned.step || ':' || unioned.algorithm || ':'
        || coalesce(cast(unioned.k as varchar), '') as model_run_row_id,
        run_metadata.run_id,
        unioned.*,
        run_metadata.hyperparameters,
        run_metadata.as_of_date
    from unioned
    cross join run_metadata
)

select * from final
