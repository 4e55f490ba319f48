"""Cluster, outlier flag and PCA coordinates per customer (c360.segmentation.assign_clusters)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.segmentation import assign_clusters

    features = dbt.ref("int_customer_model_inputs_filled").df()
    outliers = dbt.ref("int_customer_outliers_detected").df()
    candidates = dbt.ref("int_cluster_candidates_scored").df()
    return assign_clusters(features, outliers, candidates, dbt.config.get("segmentation"))
