"""Outlier verdict per customer (c360.segmentation.detect_outliers)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.runtime import one_at_a_time
    from c360.segmentation import detect_outliers

    with one_at_a_time():
        features = dbt.ref("int_customer_model_inputs_filled").df()
        result = detect_outliers(features, dbt.config.get("segmentation"))
    return result
