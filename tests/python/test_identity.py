"""Constrained clustering of matched contacts."""

from __future__ import annotations

import pandas as pd

from c360.identity import cluster_contacts


def _edges(rows):
    return pd.DataFrame(rows, columns=["contact_id_a", "contact_id_b", "match_rule", "strength"])


def _never(rows=()):
    return pd.DataFrame(list(rows), columns=["contact_id_a", "contact_id_b"])


def _clusters(result):
    return sorted(sorted(g) for g in result.groupby("cluster_key")["contact_id"].apply(list))


def test_long_chain_is_one_cluster():
    ids = pd.Series([f"c{i:04d}" for i in range(2000)])
    edges = _edges([(ids[i], ids[i + 1], "exact_email", 1.0) for i in range(1999)])
    result = cluster_contacts(ids, edges, _never(), max_cluster_contacts=10_000)
    assert result["cluster_key"].nunique() == 1
    assert (result["cluster_contacts"] == 2000).all()


def test_never_merge_holds_across_an_indirect_path():
    ids = pd.Series(["a", "b", "c"])
    edges = _edges([("a", "b", "exact_email", 1.0), ("b", "c", "probabilistic", 0.9)])
    result = cluster_contacts(ids, edges, _never([("a", "c")]), max_cluster_contacts=10)
    assert _clusters(result) == [["a", "b"], ["c"]]
    assert not result["is_merge_refused"].any()


def test_stronger_rules_win_over_weaker_ones():
    # c may join a (email) or b (probabilistic); a and b must stay apart: the email edge wins.
    ids = pd.Series(["a", "b", "c"])
    edges = _edges([("b", "c", "probabilistic", 0.99), ("a", "c", "exact_email", 0.9)])
    result = cluster_contacts(ids, edges, _never([("a", "b")]), max_cluster_contacts=10)
    assert _clusters(result) == [["a", "c"], ["b"]]


def test_cap_refuses_and_flags_giant_clusters():
    ids = pd.Series([f"c{i}" for i in range(30)])
    edges = _edges([("c0", f"c{i}", "exact_email", 1.0) for i in range(1, 30)])
    result = cluster_contacts(ids, edges, _never(), max_cluster_contacts=10)
    assert result["cluster_contacts"].max() == 10
    assert result.loc[result["cluster_key"] == "c0", "is_merge_refused"].all()


def test_override_merge_ignores_the_cap_and_unknown_ids_are_ignored():
    ids = pd.Series(["a", "b", "c"])
    edges = _edges(
        [
            ("a", "b", "override_merge", None),
            ("b", "c", "override_merge", None),
            ("x", "a", "probabilistic", 1.0),
        ]
    )
    result = cluster_contacts(ids, edges, _never([("a", "zz")]), max_cluster_contacts=1)
    assert _clusters(result) == [["a", "b", "c"]]


def test_result_does_not_depend_on_edge_order():
    ids = pd.Series(list("abcdef"))
    rows = [
        ("a", "b", "probabilistic", 0.9),
        ("b", "c", "probabilistic", 0.95),
        ("d", "e", "exact_email", 1.0),
        ("c", "d", "probabilistic", 0.91),
    ]
    first = cluster_contacts(ids, _edges(rows), _never([("a", "d")]), 10)
    second = cluster_contacts(ids, _edges(rows[::-1]), _never([("a", "d")]), 10)
    pd.testing.assert_frame_equal(first, second)
