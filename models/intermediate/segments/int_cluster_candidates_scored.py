"""Every clustering candidate scored, one chosen (c360.segmentation.evaluate_candidates)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.runtime import one_at_a_time
    from c360.segmentation import evaluate_candidates

    with one_at_a_time():
        features = dbt.ref("int_customer_model_inputs_filled").df()
        outliers = dbt.ref("int_customer_outliers_detected").df()
        result = evaluate_candidates(features, outliers, dbt.config.get("segmentation"))
    return result
