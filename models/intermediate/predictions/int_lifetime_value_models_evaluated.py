"""Holdout check of the lifetime value models (c360.lifetime_value.evaluate)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.lifetime_value import evaluate

    # only the calibration cutoff's rows are read: filtered and sorted in DuckDB, not after loading both cutoffs
    btyd = dbt.ref("int_customer_btyd_at_cutoffs").filter("not is_scoring_cutoff").order("customer_id").df()
    return evaluate(btyd, dbt.config.get("predictions"))
