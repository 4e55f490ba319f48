"""The shipped purchase and churn models, fitted (c360.predictions.fit), one row per
target with the pickled model.

The fit reads the same labelled rows as the evaluation, and the evaluation's rows carry
their fingerprint (c360.reuse): while the evaluation's rows, the settings, the code and
the libraries are those of the stored table, the stored models are kept instead of
loading the labelled rows and fitting again. The daily run then only scores."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360 import predictions, reuse, settings

    config = dbt.config.get("predictions")
    evaluations = dbt.ref("int_propensity_models_evaluated").df()
    evaluations = evaluations.sort_values(
        ["target", "method", "metric", "bucket", "feature"], kind="mergesort"
    ).reset_index(drop=True)
    key = reuse.fingerprint([evaluations], config, [predictions, settings])
    kept = reuse.stored_rows(
        session, dbt.this, key, predictions.FITTED_COLUMNS, refit=dbt.config.get("refit_models")
    )
    if kept is not None:
        return kept
    # relations: the labelled rows are joined and sorted in DuckDB (labelled_rows)
    features = dbt.ref("int_customer_features_at_cutoffs")
    outcomes = dbt.ref("int_customer_outcomes_after_cutoffs")
    return reuse.with_fingerprint(predictions.fit(features, outcomes, evaluations, config), key)
