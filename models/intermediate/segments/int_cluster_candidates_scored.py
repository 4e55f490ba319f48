"""Every clustering candidate scored, one chosen (c360.segmentation.evaluate_candidates)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.segmentation import evaluate_candidates

    features = dbt.ref("int_customer_model_inputs_filled").df()
    outliers = dbt.ref("int_customer_outliers_detected").df()
    return evaluate_candidates(features, outliers, dbt.config.get("segmentation"))
