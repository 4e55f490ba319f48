"""Cluster, outlier flag and PCA coordinates per customer (c360.segmentation.assign_clusters)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.runtime import one_at_a_time
    from c360.segmentation import assign_clusters

    with one_at_a_time():
        features = dbt.ref("int_customer_model_inputs_filled").df()
        outliers = dbt.ref("int_customer_outliers_detected").df()
        candidates = dbt.ref("int_cluster_candidates_scored").df()
        result = assign_clusters(features, outliers, candidates, dbt.config.get("segmentation"))
    return result
