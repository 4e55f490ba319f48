"""Offline, out-of-time evaluation of every recommendation method against the
popularity baseline (c360.recommendations.evaluate), in model_evaluations' layout."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.recommendations import WAREHOUSE_CUSTOMER_COLUMNS, WAREHOUSE_PRODUCT_COLUMNS, evaluate_frame

    # a relation: c360.recommendations reads it through DuckDB as numbers, not as text
    interactions = dbt.ref("int_product_interactions_listed")
    products = dbt.ref("stg_shop__products").project(WAREHOUSE_PRODUCT_COLUMNS).df()
    customers = dbt.ref("int_segment_inputs_joined").project(WAREHOUSE_CUSTOMER_COLUMNS).df()
    return evaluate_frame(interactions, products, customers, dbt.config.get("recommendations"), con=session)
