"""CRM contacts grouped into people (c360.identity.cluster_with_overrides)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.identity import cluster_with_overrides

    contacts = dbt.ref("int_contacts_prepared").project("contact_id").df()
    matches = (
        dbt.ref("int_contact_pairs_scored")
        .filter("is_match")
        .project(
            "contact_id_a, contact_id_b, match_rule, coalesce(match_probability, name_similarity) as strength"
        )
        .df()
    )
    overrides = dbt.ref("identity_overrides").df()
    return cluster_with_overrides(
        contacts, matches, overrides, max_cluster_contacts=int(dbt.config.get("max_cluster_contacts"))
    )
