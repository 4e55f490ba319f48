"""Contact matching by c360.linkage (Splink) against a labelled truth, across match
thresholds: train on the warehouse's own contacts (no labels; or use the shipped or a
given model), score every candidate pair, apply the build's veto (c360.linkage.decide),
group the pairs matched at each threshold with the project's clustering
(c360.identity.cluster_contacts: union-find, cluster cap) and compare the groups with
the true persons, pairwise over CRM contacts. The matcher alone: the build's exact
email and loyalty-id rules and overrides are not applied (the quality command measures
the build as a whole).
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pandas as pd

from c360 import identity, linkage

THRESHOLDS = [0.5, 0.8, 0.9, 0.95, 0.99, 0.999]


def _pair_counts(clusters: pd.Series, persons: pd.Series) -> tuple[int, int, int]:
    def pairs(sizes: pd.Series) -> int:
        return int((sizes * (sizes - 1) // 2).sum())

    frame = pd.DataFrame({"cluster": clusters.to_numpy(), "person": persons.to_numpy()})
    correct = pairs(frame.groupby(["cluster", "person"]).size())
    return correct, pairs(frame.groupby("cluster").size()), pairs(frame.groupby("person").size())


def evaluate(db: Path, truth_dir: Path, model: str = "train", max_cluster_contacts: int = 10) -> dict:
    """``model``: ``train`` (on the warehouse's own contacts), ``shipped`` or a JSON path."""
    con = duckdb.connect(str(db), read_only=True)
    contacts = con.sql("select * from int_contacts_prepared").df()
    truth = con.sql(
        f"select contact_id, person_id from read_csv('{truth_dir}/contacts.csv', all_varchar = true)"
    ).df()
    started = time.time()
    if model == "train":
        trained_model = linkage.train(contacts)
    else:
        trained_model = linkage.load_model(None if model == "shipped" else model)
    trained = time.time()
    scored = linkage.score(contacts, trained_model, floor=min(THRESHOLDS))
    predicted = time.time()
    persons = truth.set_index("contact_id")["person_id"]
    ids = contacts["contact_id"].astype(str).sort_values().reset_index(drop=True)
    rows = []
    for threshold in THRESHOLDS:
        decided = linkage.decide(scored, threshold)
        kept = decided[decided["is_probable_match"]]
        edges = pd.DataFrame(
            {
                "contact_id_a": kept["contact_id_a"].to_numpy(),
                "contact_id_b": kept["contact_id_b"].to_numpy(),
                "match_rule": "probabilistic",
                "strength": kept["match_probability"].to_numpy(),
            }
        )
        clusters = identity.cluster_contacts(
            ids, edges, pd.DataFrame(columns=["contact_id_a", "contact_id_b"]), max_cluster_contacts
        )
        known = clusters[clusters["contact_id"].isin(persons.index)]
        correct, predicted_pairs, true_pairs = _pair_counts(
            known["cluster_key"], known["contact_id"].map(persons)
        )
        precision = correct / predicted_pairs if predicted_pairs else 1.0
        recall = correct / true_pairs if true_pairs else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append(
            {
                "threshold": threshold,
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "pairs_matched": int(len(kept)),
                "pairs_vetoed": int(
                    ((decided["match_probability"] >= threshold) & decided["veto"].notna()).sum()
                ),
            }
        )
    return {
        "contacts": int(len(contacts)),
        "true_pairs": true_pairs,
        "model": model,
        "train_seconds": round(trained - started, 1),
        "predict_seconds": round(predicted - trained, 1),
        "thresholds": rows,
    }
