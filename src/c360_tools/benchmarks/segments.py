"""Segmentation against the generator's ground truth.

Each customer whose CRM contacts belong (mostly) to one true person gets that
person's behaviour archetype and anomaly flag. Reported: the adjusted Rand index of
clusters against archetypes, and precision / recall of the consensus outliers
against the people given anomalous behaviour.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from sklearn.metrics import adjusted_rand_score


def evaluate(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    t = str(truth_dir)
    frame = con.execute(f"""
        with person_of as (
            select m.customer_id, mode(c.person_id) as person_id
            from customer_identity_map as m
            inner join read_csv('{t}/contacts.csv', all_varchar = true) as c
                on m.identifier_key = 'contact_id:' || c.contact_id
            group by 1
        )
        select k.cluster_id, p.archetype, p.is_anomalous = 'True' as is_anomalous, o.is_outlier
        from customer_clusters as k
        inner join customer_outliers as o using (customer_id)
        inner join person_of using (customer_id)
        inner join read_csv('{t}/persons.csv', all_varchar = true) as p using (person_id)
    """).df()
    flagged = frame["is_outlier"]
    anomalous = frame["is_anomalous"]
    hits = int((flagged & anomalous).sum())
    return {
        "customers_evaluated": len(frame),
        "clusters": int(frame["cluster_id"].nunique()),
        "ari_clusters_vs_archetypes": round(
            float(adjusted_rand_score(frame["archetype"], frame["cluster_id"])), 4
        ),
        "anomalous_customers": int(anomalous.sum()),
        "outliers_flagged": int(flagged.sum()),
        "outlier_precision": round(hits / flagged.sum(), 4) if flagged.sum() else None,
        "outlier_recall": round(hits / anomalous.sum(), 4) if anomalous.sum() else None,
    }
