"""Every customer's top products by the shipped method (c360.recommendations.rank)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.recommendations import rank

    interactions = dbt.ref("int_product_interactions_listed").df()
    products = (
        dbt.ref("stg_shop__products")
        .project("product_id, product_name, category, brand, product_description, list_price")
        .df()
    )
    customers = dbt.ref("int_segment_inputs_joined").project("customer_id, persona, as_of_date").df()
    return rank(interactions, products, customers, dbt.config.get("recommendations"))
