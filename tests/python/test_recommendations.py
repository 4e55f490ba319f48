"""c360.recommendations on small frames with planted structure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from c360 import recommendations as R

CONFIG = {
    "top_n": 4,
    "purchase_weight": 3.0,
    "cart_weight": 2.0,
    "view_weight": 1.0,
    "half_life_days": 90.0,
    "neighbours": 20,
    "hybrid_cf_share": 0.5,
    "max_category_share": 0.5,
    "holdout_days": 30,
    "evaluation_k": 4,
    "evaluation_sample_size": 1000,
    "batch_size": 7,
    "shipped_method": "hybrid",
}
AS_OF = pd.Timestamp("2026-09-30")


def _products(n=12, unavailable=()):
    categories = ["home", "toys", "books"]
    return pd.DataFrame(
        {
            "product_id": [f"P{i:02d}" for i in range(n)],
            "name": [f"{categories[i % 3]} item {'lamp' if i in (0, 3) else 'thing'}" for i in range(n)],
            "category": [categories[i % 3] for i in range(n)],
            "brand": ["Acme"] * n,
            "description": [f"A {categories[i % 3]} product" for i in range(n)],
            "is_available": [f"P{i:02d}" not in unavailable for i in range(n)],
        }
    )


def _bundles(customers=60, seed=0):
    """Pairs (P01, P02) and (P04, P05) are bought together; P00 by everyone early on."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(customers):
        day = AS_OF - pd.Timedelta(days=int(rng.integers(40, 300)))
        pair = ("P01", "P02") if c % 2 else ("P04", "P05")
        for product in pair:
            rows.append((f"C{c:03d}", product, "purchase", day))
        rows.append((f"C{c:03d}", "P00", "view", day))
    return pd.DataFrame(rows, columns=["customer_id", "product_id", "kind", "interacted_at"])


def _bundles_with_holdout():
    """_bundles of 80 customers plus 40 more who, in the holdout, buy the other half of
    a pair they bought one half of earlier."""
    history = _bundles(customers=80)
    rng = np.random.default_rng(1)
    later = []
    for c in range(80, 120):
        start = AS_OF - pd.Timedelta(days=int(rng.integers(60, 200)))
        first, second = ("P01", "P02") if c % 2 else ("P04", "P05")
        later.append((f"C{c:03d}", first, "purchase", start))
        later.append((f"C{c:03d}", second, "purchase", AS_OF - pd.Timedelta(days=int(rng.integers(1, 25)))))
    return pd.concat([history, pd.DataFrame(later, columns=history.columns)], ignore_index=True)


def _fit(interactions, products, customers, method, n=4, config=CONFIG):
    cfg = R.settings(config)
    catalogue = R.Catalogue(products, cfg["neighbours"])
    ids = customers["customer_id"].to_numpy()
    segments = customers["segment"].to_numpy(dtype=object)
    matrix, purchases = R.interaction_matrix(interactions, ids, catalogue, AS_OF, cfg)
    popular = R.popularity(matrix, purchases, segments)
    return R.recommend(matrix, purchases, ids, segments, catalogue, popular, method, cfg, n)


def test_item_cf_recommends_the_bundle_partner_with_its_reason():
    history = _bundles()
    newcomer = pd.DataFrame(
        [("NEW", "P01", "purchase", AS_OF - pd.Timedelta(days=5))], columns=history.columns
    )
    interactions = pd.concat([history, newcomer])
    customers = pd.DataFrame({"customer_id": sorted(interactions["customer_id"].unique()), "segment": "all"})
    recs = _fit(interactions, _products(), customers, "item_cf")
    first = recs[(recs["customer_id"] == "NEW")].iloc[0]
    assert (first["product_id"], first["reason_type"], first["reason_product_id"]) == (
        "P02",
        "bought_together_with",
        "P01",
    )


def test_bought_and_unavailable_products_are_never_recommended_and_lists_are_diverse():
    interactions = _bundles()
    customers = pd.DataFrame({"customer_id": sorted(interactions["customer_id"].unique()), "segment": "all"})
    for method in R.METHODS:
        recs = _fit(interactions, _products(unavailable=("P07",)), customers, method)
        bought = set(
            zip(
                interactions.loc[interactions["kind"] == "purchase", "customer_id"],
                interactions.loc[interactions["kind"] == "purchase", "product_id"],
            )
        )
        assert not any((c, p) in bought for c, p in zip(recs["customer_id"], recs["product_id"])), method
        assert "P07" not in set(recs["product_id"]), method
        per_category = recs.merge(_products(), on="product_id").groupby(["customer_id", "category"]).size()
        assert per_category.max() <= 2, method  # max_category_share 0.5 of 4
        assert (recs.groupby("customer_id")["recommendation_rank"].max() <= 4).all()


def test_a_customer_without_history_gets_their_segments_popular_products():
    interactions = _bundles()
    customers = pd.DataFrame(
        {
            "customer_id": [*sorted(interactions["customer_id"].unique()), "COLD"],
            "segment": [
                "odd" if int(c[1:]) % 2 else "even" for c in sorted(interactions["customer_id"].unique())
            ]
            + ["odd"],
        }
    )
    recs = _fit(interactions, _products(), customers, "hybrid")
    cold = recs[recs["customer_id"] == "COLD"]
    assert list(cold["reason_type"].unique()) == ["popular_with"] and set(cold["reason_segment"]) == {"odd"}
    assert list(cold["product_id"][:2]) == ["P01", "P02"]  # what the odd segment buys


def test_content_similarity_explains_itself():
    interactions = pd.DataFrame(
        [("C1", "P00", "purchase", AS_OF - pd.Timedelta(days=3))],
        columns=["customer_id", "product_id", "kind", "interacted_at"],
    )
    customers = pd.DataFrame({"customer_id": ["C1"], "segment": [None]})
    recs = _fit(interactions, _products(), customers, "content")
    first = recs.iloc[0]
    assert (first["product_id"], first["reason_type"], first["reason_product_id"]) == (
        "P03",
        "similar_to",
        "P00",
    )


def test_evaluation_finds_the_planted_bundles_and_is_deterministic():
    interactions = _bundles_with_holdout()
    customers = pd.DataFrame({"customer_id": sorted(interactions["customer_id"].unique()), "segment": "all"})
    records = pd.DataFrame(R.evaluate(interactions, _products(), customers, AS_OF, CONFIG))
    table = records.pivot(index="method", columns="metric", values="value")
    assert table.loc["item_cf", "recall_at_4"] == pytest.approx(1.0)
    assert table.loc["item_cf", "ndcg_at_4"] > table.loc["popularity", "ndcg_at_4"]
    assert (records["validation_rows"] == 40).all()
    again = pd.DataFrame(
        R.evaluate(interactions.sample(frac=1, random_state=3), _products(), customers, AS_OF, CONFIG)
    )
    pd.testing.assert_frame_equal(records, again)


def test_evaluation_scores_a_seeded_sample_of_at_most_evaluation_sample_size():
    interactions = _bundles_with_holdout()
    customers = pd.DataFrame({"customer_id": sorted(interactions["customer_id"].unique()), "segment": "all"})
    full = pd.DataFrame(R.evaluate(interactions, _products(), customers, AS_OF, CONFIG))
    exact = pd.DataFrame(
        R.evaluate(interactions, _products(), customers, AS_OF, CONFIG | {"evaluation_sample_size": 40})
    )
    pd.testing.assert_frame_equal(full, exact)
    small = CONFIG | {"evaluation_sample_size": 15}
    sampled = pd.DataFrame(R.evaluate(interactions, _products(), customers, AS_OF, small))
    assert (sampled["validation_rows"] == 15).all()
    assert not sampled["value"].equals(full["value"])
    again = pd.DataFrame(
        R.evaluate(interactions.sample(frac=1, random_state=5), _products(), customers, AS_OF, small)
    )
    pd.testing.assert_frame_equal(sampled, again)


def test_no_holdout_purchases_and_bad_settings_say_why():
    interactions = _bundles()
    customers = pd.DataFrame({"customer_id": sorted(interactions["customer_id"].unique()), "segment": "all"})
    records = R.evaluate(interactions, _products(), customers, AS_OF, CONFIG)
    assert all(r["metric"] == "skipped" and "nothing evaluated" in r["warning"] for r in records)
    for bad, message in [({"top_n": 0}, "at least 1"), ({"hybrid_cf_share": 2}, "between 0 and 1")]:
        with pytest.raises(ValueError, match=message):
            R.settings(CONFIG | bad)


def test_the_test_warehouse_recommends_to_consenting_customers_only(warehouse):
    """On the test warehouse: lists of at most top_n, only for customers with
    personalisation consent, never a product the customer bought, every method
    evaluated out of time beside the popularity baseline."""
    top_n = warehouse.execute("select max(recommendation_rank) from customer_recommendations").fetchone()[0]
    assert top_n == 10
    unconsented = warehouse.execute(
        "select count(*) from customer_recommendations where customer_id not in (select customer_id"
        " from customer_consents where consent_purpose = 'personalisation' and is_consented)"
    ).fetchone()[0]
    assert unconsented == 0
    bought = warehouse.execute(
        "select count(*) from customer_recommendations as r inner join int_product_interactions_listed as i"
        " on r.customer_id = i.customer_id and r.product_id = i.product_id where i.interaction_kind = 'purchase'"
    ).fetchone()[0]
    assert bought == 0
    methods = warehouse.execute(
        "select distinct method from model_evaluations where target = 'recommendations' and metric = 'ndcg_at_10'"
    ).fetchall()
    assert sorted(m[0] for m in methods) == sorted(R.METHODS)
    from c360_tools.benchmarks import recommendations as report_tool

    report = report_tool.evaluate(warehouse)
    assert report["shipped_method"] == "hybrid" and report["customers_with_recommendations"] > 0
    assert "| hybrid |" in report_tool.markdown(report)


@pytest.mark.parametrize("empty", ["interactions", "products", "customers", "everything"])
def test_empty_inputs_give_empty_lists_and_a_skipped_evaluation(empty):
    """A source matrix of partial exports: no web or order data, no catalogue, nobody."""
    interactions = _bundles().rename(columns={"kind": "interaction_kind"})
    products = _products().rename(columns={"name": "product_name", "description": "product_description"})
    products["list_price"] = 9.99
    customers = pd.DataFrame(
        {"customer_id": sorted(interactions["customer_id"].unique()), "persona": "all", "as_of_date": AS_OF}
    )
    if empty in ("interactions", "everything"):
        interactions = interactions.head(0).astype(object)
    if empty in ("products", "everything"):
        products = products.head(0).astype(object)
    if empty in ("customers", "everything"):
        customers = customers.head(0).astype(object)
    lists = R.rank(interactions, products, customers, CONFIG)
    assert list(lists.columns) == list(R.RECOMMENDATION_COLUMNS)
    if empty != "interactions":
        assert lists.empty
    report = R.evaluate_frame(interactions, products, customers, CONFIG)
    assert (report["metric"] == "skipped").all() and report["warning"].notna().all()


def _greedy(scores, blocked, codes, n, share, taken=()):
    """The plain greedy walk the vectorised pick must equal, one row at a time."""
    cap = max(1, int(np.floor(n * share)))
    taken = [int(j) for j in taken if j >= 0]
    counts = {}
    for j in taken:
        counts[codes[j]] = counts.get(codes[j], 0) + 1
    picked = []
    for j in np.argsort(-scores, kind="stable"):
        if len(taken) + len(picked) == n or scores[j] <= 0:
            break
        if blocked[j] or j in taken or counts.get(codes[j], 0) >= cap:
            continue
        picked.append(int(j))
        counts[codes[j]] = counts.get(codes[j], 0) + 1
    return picked


@pytest.mark.parametrize("n", [3, 6, 12])
@pytest.mark.parametrize("seed", range(5))
def test_vectorised_pick_equals_the_greedy_walk(seed, n):
    """Lists shorter than a category (its partition cuts through tied scores, which the
    pick must notice and sort) and longer than the allowed products; caps of one to n
    per category, with earlier picks counting against them."""
    rng = np.random.default_rng(seed)
    customers, products = 40, 30
    # ties on purpose (rounded scores), zeros, blocked products and earlier picks
    scores = np.round(rng.random((customers, products)), 1) * (rng.random((customers, products)) < 0.7)
    blocked = rng.random((customers, products)) < 0.2
    codes = rng.integers(0, 4, products)
    taken = np.where(rng.random((customers, 2)) < 0.5, rng.integers(0, products, (customers, 2)), -1)
    taken[:, 1] = np.where(taken[:, 1] == taken[:, 0], -1, taken[:, 1])
    for share, earlier in ((0.5, None), (0.34, taken), (1.0, None), (0.1, taken)):
        rows, picked = R._pick(scores, blocked, codes, n, share, earlier)
        assert (np.diff(rows) >= 0).all()
        for r in range(customers):
            want = _greedy(scores[r], blocked[r], codes, n, share, () if earlier is None else earlier[r])
            assert picked[rows == r].tolist() == want, (share, r)


def test_the_reason_is_the_history_product_contributing_most():
    from scipy import sparse

    history = sparse.csr_matrix(np.array([[2.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]))
    similarity = np.array([[0, 0.1, 0.5, 0.9], [0.1, 0, 0.3, 0.9], [0.5, 0.3, 0, 0.3], [0.9, 0.9, 0.3, 0]])
    lookup = {"content": similarity, "cf": similarity * 0}
    rows, products = np.array([0, 0, 1, 2]), np.array([3, 1, 3, 3])
    reasons = R._reasons(history, rows, products, np.array([True, True, True, True]), lookup)
    # row 0: product 3 via 2 x 0.9 (P0) against 1 x 0.3; product 1 via 1 x 0.3 (P2) against 2 x 0.1
    # row 1 has no history; row 2: a tie (0.9 each), the first in the history wins
    assert reasons.tolist() == [0, 2, -1, 0]
    assert R._reasons(history, rows, products, np.array([False] * 4), lookup).tolist()[2] == -1


def test_auto_ships_the_best_method_out_of_time_and_the_ranking_follows():
    """shipped_method auto: the evaluation marks the method with the highest NDCG chosen
    (item_cf, on planted bundles), and rank ships what shipped_method_of reads back."""
    interactions = _bundles_with_holdout().rename(columns={"kind": "interaction_kind"})
    customers = pd.DataFrame(
        {"customer_id": sorted(interactions["customer_id"].unique()), "persona": "all", "as_of_date": AS_OF}
    )
    products = _products().rename(columns={"name": "product_name", "description": "product_description"})
    products["list_price"] = np.where(_products()["is_available"], 10.0, None)
    auto = CONFIG | {"shipped_method": "auto"}
    report = R.evaluate_frame(interactions, products, customers, auto)
    ndcg = report[report["metric"] == "ndcg_at_4"].set_index("method")["value"]
    best = ndcg.idxmax()
    assert R.shipped_method_of(report, auto) == best
    assert set(report.loc[report["is_chosen"], "method"]) == {best}
    lists = R.rank(interactions, products, customers, auto, method=best)
    assert set(lists["method"]) <= {best, "popularity"} and best in set(lists["method"])
    with pytest.raises(ValueError, match="comes from the evaluation"):
        R.rank(interactions, products, customers, auto)
    # a configured method is shipped whatever the figures say; nothing evaluated: popularity under auto
    assert (
        R.shipped_method_of(R.evaluate_frame(interactions, products, customers, CONFIG), CONFIG) == "hybrid"
    )
    assert R.shipped_method_of(report.head(0), auto) == "popularity"


def test_the_interaction_matrix_does_not_depend_on_the_row_order():
    """coded_interactions' arrays come in no fixed order (DuckDB does not sort them):
    the same interactions in any order give the same matrix, to the last bit, although
    one customer's many decayed weights for a product are summed in another order."""
    cfg = R.settings(CONFIG)
    rng = np.random.default_rng(11)
    size = 5000
    coded = {
        "row": rng.integers(0, 3, size),
        "column": rng.integers(0, 2, size),
        "kind": rng.integers(0, len(R.KINDS) + 1, size),
        "at_us": (AS_OF.value // 1000) - rng.integers(0, 400 * 86_400_000_000, size),
    }
    first, first_purchases = R._matrices(coded, (3, 2), AS_OF, cfg)
    for seed in range(5):
        order = np.random.default_rng(seed).permutation(size)
        again, purchases = R._matrices({k: v[order] for k, v in coded.items()}, (3, 2), AS_OF, cfg)
        assert again.data.tobytes() == first.data.tobytes()
        assert np.array_equal(again.indices, first.indices) and np.array_equal(again.indptr, first.indptr)
        assert (purchases != first_purchases).nnz == 0
