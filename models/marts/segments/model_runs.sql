-- What every model run chose and how good it is: one row per clustering candidate
-- (K-Means and Gaussian mixtures over the k range, the DBSCAN density view), one per
-- outlier detector, and one per prediction target's shipped model (its metrics are in
-- model_evaluations), with scores, training sizes and warnings.
with

candidates as (
    select * from {{ ref('int_cluster_candidates_scored') }}
),

outliers as (
    select * from {{ ref('int_customer_outliers_detected') }}
),

-- the prediction models' report, already one table (model_evaluations), and the scores
prediction_evaluations as (
    select * from {{ ref('model_evaluations') }}
),

customer_predictions as (
    select * from {{ ref('customer_predictions') }}
),

-- one row per shipped prediction model: its headline metric's row (ROC AUC, holdout
-- error), or the skipped row that says why it was not fitted
predictions as (
    select
        target,
        method,
        metric,
        warning,
        training_rows,
        hyperparameters,
        case
            when target = 'purchase'
                then (select count(customer_predictions.purchase_propensity) from customer_predictions)
            when target = 'churn'
                then (select count(customer_predictions.churn_probability) from customer_predictions)
            when method = 'bg_nbd'
                then (select count(customer_predictions.expected_purchase_days) from customer_predictions)
            else (select count(customer_predictions.expected_spend) from customer_predictions)
        end as customers_scored
    from prediction_evaluations
    where is_chosen and metric in ('roc_auc', 'holdout_purchase_days_mae', 'holdout_spend_mae', 'skipped')
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

prediction_metadata as (
    select
        md5(min(hyperparameters) || ':' || cast({{ as_of_date(ref('base_run__as_of_date')) }} as varchar)) as run_id
    from predictions
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
        cast(null as bigint) as customers_scored,
        run_metadata.run_id,
        run_metadata.hyperparameters
    from candidates
    cross join run_metadata
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
        detectors.scored as customers_scored,
        run_metadata.run_id,
        run_metadata.hyperparameters
    from detectors
    cross join run_metadata
    union all
    select
        'predictions' as step,
        predictions.target || ':' || predictions.method
        || case when predictions.metric = 'skipped' then ':skipped' else '' end as algorithm,
        null as k,
        null as silhouette,
        null as inertia,
        null as bic,
        null as aic,
        null as noise_share,
        null as stability_ari,
        true as is_chosen,
        cast(predictions.warning as varchar) as warning,
        predictions.training_rows,
        null as silhouette_sample_rows,
        null as customers_flagged,
        predictions.customers_scored,
        prediction_metadata.run_id,
        predictions.hyperparameters
    from predictions
    cross join prediction_metadata
),

final as (
    select
        unioned.run_id || ':' || unioned.step || ':' || unioned.algorithm || ':'
        || coalesce(cast(unioned.k as varchar), '') as model_run_row_id,
        unioned.run_id,
        unioned.step,
        unioned.algorithm,
        unioned.k,
        unioned.silhouette,
        unioned.inertia,
        unioned.bic,
        unioned.aic,
        unioned.noise_share,
        unioned.stability_ari,
        unioned.is_chosen,
        unioned.warning,
        unioned.training_rows,
        unioned.silhouette_sample_rows,
        unioned.customers_flagged,
        unioned.customers_scored,
        unioned.hyperparameters,
        run_metadata.as_of_date
    from unioned
    cross join run_metadata
)

select * from final
