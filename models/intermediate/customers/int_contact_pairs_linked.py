"""Contact pairs scored by the probabilistic matcher (c360.linkage, Splink): every
candidate pair at or above the review probability, with its match weight,
probability, each comparison's level and weight, and the matcher's decision."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360 import linkage

    # each config.get on a line of its own: dbt finds the keys a Python model reads by
    # parsing it, and missed one inside `... or None` (its value never reached the model)
    model_path = dbt.config.get("linkage_model")
    review_min = float(dbt.config.get("review_probability_min"))
    match_min = float(dbt.config.get("match_probability_min"))
    if model_path is None:  # the yml always sets it ("" = the shipped model)
        raise ValueError("int_contact_pairs_linked: the linkage_model config did not reach the model")
    columns = ", ".join(linkage.INPUT_COLUMNS)
    contacts = dbt.ref("int_contacts_prepared").project(columns).df()
    scored = linkage.score(contacts, linkage.load_model(model_path or None), floor=review_min)
    return linkage.decide(scored, threshold=match_min)
