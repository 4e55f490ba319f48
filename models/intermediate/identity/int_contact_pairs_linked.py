"""Contact pairs scored by the probabilistic matcher (c360.linkage, Splink): every
candidate pair at or above the review probability, with its match weight,
probability, each comparison's level and weight, and the matcher's decision."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360 import linkage

    columns = ", ".join(linkage.INPUT_COLUMNS)
    contacts = dbt.ref("int_contacts_prepared").project(columns).df()
    trained = linkage.load_model(dbt.config.get("linkage_model") or None)
    scored = linkage.score(contacts, trained, floor=float(dbt.config.get("review_probability_min")))
    return linkage.decide(scored, threshold=float(dbt.config.get("match_probability_min")))
