"""Purchase propensity and churn probability per customer at the as-of date, from the
models the evaluation chose (c360.predictions.score)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.predictions import score

    # relations: the scoring rows are split off and the labels joined in DuckDB
    features = dbt.ref("int_customer_features_at_cutoffs")
    outcomes = dbt.ref("int_customer_outcomes_after_cutoffs")
    evaluations = dbt.ref("int_propensity_models_evaluated").df()
    return score(features, outcomes, evaluations, dbt.config.get("predictions"))
