"""Purchase propensity and churn probability per customer at the as-of date, from the
fitted models (int_propensity_models_fitted; c360.predictions.score_fitted)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.predictions import score_fitted

    # a relation: the scoring rows are split off in DuckDB
    features = dbt.ref("int_customer_features_at_cutoffs")
    fitted = dbt.ref("int_propensity_models_fitted").df()
    return score_fitted(features, fitted, dbt.config.get("predictions"))
