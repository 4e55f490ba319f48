"""Outlier verdict per customer (c360.segmentation.detect_outliers)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.segmentation import detect_outliers

    features = dbt.ref("customer_features_scaled").df()
    return detect_outliers(features, dbt.config.get("segmentation"))
