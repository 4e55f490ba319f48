"""Holdout check of the lifetime value models (c360.lifetime_value.evaluate)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.lifetime_value import evaluate

    # only the calibration cutoff's rows are loaded (filtered in DuckDB); the model sorts them by customer
    btyd = dbt.ref("int_customer_btyd_at_cutoffs").filter("not is_scoring_cutoff").df()
    return evaluate(btyd, dbt.config.get("predictions"))
