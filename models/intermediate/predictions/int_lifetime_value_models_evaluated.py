"""Holdout check of the lifetime value models (c360.lifetime_value.evaluate)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.lifetime_value import evaluate
    from c360.runtime import one_at_a_time

    with one_at_a_time():
        btyd = dbt.ref("int_customer_btyd_at_cutoffs").df()
        result = evaluate(btyd, dbt.config.get("predictions"))
    return result
