"""Size, feature profile, persona and rules per cluster (c360.segmentation.profile_clusters)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.segmentation import profile_clusters

    features = dbt.ref("int_customer_model_inputs_filled").df()
    clusters = dbt.ref("int_customer_clusters_assigned").df()
    return profile_clusters(features, clusters, dbt.config.get("segmentation"))
