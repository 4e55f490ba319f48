"""Contact pairs scored by the probabilistic matcher (c360.linkage, Splink): every
candidate pair at or above the review probability, with its match weight,
probability, each comparison's level and weight, and the matcher's decision.

The matcher reads only the contacts' matching columns, which stay put on a day with
no CRM change: while they, the model file, the thresholds, the code and the libraries
(Splink and DuckDB among them) are those of the stored table (inputs_fingerprint,
computed in DuckDB), the stored pairs are kept instead of scored again (c360.reuse).
A changed contact rescores every pair: term frequencies are counted over all contacts,
so one contact's change moves the weights of pairs it is not part of."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360 import linkage, reuse

    # each config.get on a line of its own: dbt finds the keys a Python model reads by
    # parsing it, and missed one inside `... or None` (its value never reached the model)
    model_path = dbt.config.get("linkage_model")
    review_min = float(dbt.config.get("review_probability_min"))
    match_min = float(dbt.config.get("match_probability_min"))
    refit = dbt.config.get("refit_models")
    if model_path is None:  # the yml always sets it ("" = the shipped model)
        raise ValueError("int_contact_pairs_linked: the linkage_model config did not reach the model")
    matcher = linkage.load_model(model_path or None)
    contacts = dbt.ref("int_contacts_prepared").project(", ".join(linkage.INPUT_COLUMNS))
    key = reuse.relation_fingerprint(
        [contacts],
        {"model": matcher, "review_probability_min": review_min, "match_probability_min": match_min},
        [linkage],
        linkage.LIBRARIES,
    )
    kept = reuse.stored_rows(session, dbt.this, key, linkage.DECIDED_COLUMNS, refit=refit)
    if kept is not None:
        return kept
    scored = linkage.score(contacts.df(), matcher, floor=review_min)
    return reuse.with_fingerprint(linkage.decide(scored, threshold=match_min), key)
