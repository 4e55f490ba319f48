"""Out-of-time evaluation of the purchase and churn models (c360.predictions.evaluate)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.predictions import evaluate

    features = dbt.ref("int_customer_features_at_cutoffs").df()
    outcomes = dbt.ref("int_customer_outcomes_after_cutoffs").df()
    return evaluate(features, outcomes, dbt.config.get("predictions"))
