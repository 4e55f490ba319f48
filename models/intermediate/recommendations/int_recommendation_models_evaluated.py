"""Offline, out-of-time evaluation of every recommendation method against the
popularity baseline (c360.recommendations.evaluate), in model_evaluations' layout."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.recommendations import evaluate_frame

    interactions = dbt.ref("int_product_interactions_listed").df()
    products = (
        dbt.ref("stg_shop__products")
        .project("product_id, product_name, category, brand, product_description, list_price")
        .df()
    )
    customers = dbt.ref("int_segment_inputs_joined").project("customer_id, persona, as_of_date").df()
    return evaluate_frame(interactions, products, customers, dbt.config.get("recommendations"))
