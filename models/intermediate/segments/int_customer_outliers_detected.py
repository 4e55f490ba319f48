"""Outlier verdict per customer (c360.segmentation.detect_outliers)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.segmentation import detect_outliers

    features = dbt.ref("int_customer_model_inputs_filled").df()
    return detect_outliers(features, dbt.config.get("segmentation"))
