"""Out-of-time evaluation of the purchase and churn models (c360.predictions.evaluate).

It reads only the training cutoffs, which move once a month: when the labelled rows,
the settings, the code and the libraries are those of the stored table (its
inputs_fingerprint), the stored rows are kept instead of fitted again (c360.reuse)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360 import predictions, reuse, settings

    # relations: the labelled rows are joined and sorted in DuckDB (labelled_rows)
    features = dbt.ref("int_customer_features_at_cutoffs")
    outcomes = dbt.ref("int_customer_outcomes_after_cutoffs")
    config = dbt.config.get("predictions")
    # the labelled rows are fingerprinted in DuckDB and loaded only to fit
    labelled, _con = predictions.labelled_relation(features, outcomes)
    key = reuse.relation_fingerprint([labelled], config, [predictions, settings])
    kept = reuse.stored_rows(
        session, dbt.this, key, predictions.EVALUATION_COLUMNS, refit=dbt.config.get("refit_models")
    )
    if kept is not None:
        return kept
    rows = predictions.labelled_rows(features, outcomes)
    return reuse.with_fingerprint(predictions.evaluate_rows(rows, config), key)
