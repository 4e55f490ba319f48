"""Every customer's top products by the method the offline evaluation marks chosen
(c360.recommendations.rank, shipped_method_of)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.recommendations import (
        WAREHOUSE_CUSTOMER_COLUMNS,
        WAREHOUSE_PRODUCT_COLUMNS,
        rank,
        shipped_method_of,
    )

    config = dbt.config.get("recommendations")
    # the evaluation says which method ships; reading it also keeps the two models from
    # holding their interaction arrays at the same time
    method = shipped_method_of(dbt.ref("int_recommendation_models_evaluated").df(), config)
    # a relation: c360.recommendations reads it through DuckDB as numbers, not as text
    interactions = dbt.ref("int_product_interactions_listed")
    products = dbt.ref("stg_shop__products").project(WAREHOUSE_PRODUCT_COLUMNS).df()
    customers = dbt.ref("int_segment_inputs_joined").project(WAREHOUSE_CUSTOMER_COLUMNS).df()
    # a DuckDB relation: the lists leave Python as numbers, DuckDB joins the ids in
    return rank(interactions, products, customers, config, con=session, method=method)
