"""Holdout check of the lifetime value models (c360.lifetime_value.evaluate)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.lifetime_value import evaluate

    btyd = dbt.ref("int_customer_btyd_at_cutoffs").df()
    return evaluate(btyd, dbt.config.get("predictions"))
