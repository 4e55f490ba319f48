"""Purchase propensity and churn probability per customer at the as-of date, from the
models the evaluation chose (c360.predictions.score)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.predictions import score

    features = dbt.ref("int_customer_features_at_cutoffs").df()
    outcomes = dbt.ref("int_customer_outcomes_after_cutoffs").df()
    evaluations = dbt.ref("int_propensity_models_evaluated").df()
    return score(features, outcomes, evaluations, dbt.config.get("predictions"))
