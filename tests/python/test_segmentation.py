"""Segmentation package on small synthetic frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dbt_runner import SEGMENTATION_SETTINGS

from c360 import segmentation as S

# the project's settings (the segmentation var, the one place they are set), with
# smaller samples for speed
PROJECT_SETTINGS = SEGMENTATION_SETTINGS
CONFIG = PROJECT_SETTINGS | {
    "silhouette_sample_size": 400,
    "fit_sample_size": 2000,
    "outlier_sample_size": 2000,
    "stability_resamples": 3,
}
FEATURES = CONFIG["features"]


def _blobs(n_per=150, seed=0) -> pd.DataFrame:
    """Four well-separated behaviour groups plus two extreme spenders."""
    rng = np.random.default_rng(seed)
    centers = [  # orders, monetary, aov, recency, tenure, sess, views, open, click, entropy, discount, inactive
        (12, 2400, 200, 10, 600, 12, 60, 0.6, 0.2, 1.2, 0.05, 5),
        (5, 300, 60, 30, 500, 6, 30, 0.5, 0.15, 0.8, 0.6, 20),
        (1, 50, 50, 500, 700, 0, 0, 0.05, 0.0, 0.0, 0.02, 480),
        (0, 0, 0, 700, 200, 15, 120, 0.3, 0.05, 0.0, 0.0, 3),
    ]
    rows = []
    for g, c in enumerate(centers):
        base = np.array(c, dtype=float)
        noise = rng.normal(0, 0.08, (n_per, len(base))) * np.maximum(base, 0.05)
        block = np.clip(base + noise, 0, None)
        for i, values in enumerate(block):
            rows.append(
                {"customer_id": f"g{g}_{i:03d}", **dict(zip(FEATURES, values, strict=True)), "group": g}
            )
    frame = pd.DataFrame(rows)
    for k, spend in enumerate((60000.0, 90000.0)):
        extreme = frame.iloc[0].copy()
        extreme["customer_id"], extreme["monetary_value"], extreme["orders_count"] = f"x{k}", spend, 150.0
        extreme["avg_order_value"] = spend / 150
        frame = pd.concat([frame, extreme.to_frame().T], ignore_index=True)
    frame[FEATURES] = frame[FEATURES].astype(float)
    return frame


@pytest.fixture(scope="module")
def run():
    features = _blobs()
    outliers = S.detect_outliers(features, CONFIG)
    candidates = S.evaluate_candidates(features, outliers, CONFIG)
    clusters = S.assign_clusters(features, outliers, candidates, CONFIG)
    profiles = S.profile_clusters(features, clusters, CONFIG)
    return features, outliers, candidates, clusters, profiles


def test_extreme_spenders_are_consensus_outliers_with_a_reason(run):
    _, outliers, *_ = run
    flagged = outliers.set_index("customer_id")
    assert flagged.loc["x0", "is_outlier"] and flagged.loc["x1", "is_outlier"]
    assert "high" in flagged.loc["x1", "outlier_reason"]
    assert outliers["is_outlier"].mean() < 0.05


def test_model_selection_finds_the_four_groups(run):
    features, _, candidates, clusters, _ = run
    chosen = candidates[candidates["is_chosen"]]
    assert len(chosen) == 1
    assert int(chosen["k"].iloc[0]) == 4
    assert chosen["stability_ari"].iloc[0] > 0.9
    assert chosen["warning"].iloc[0] is None
    assert {"kmeans", "gmm", "dbscan"} <= set(candidates["algorithm"])
    merged = clusters.merge(features[["customer_id", "group"]], on="customer_id")
    # each true group sits in one cluster
    assert (merged.groupby("group")["cluster_id"].nunique() == 1).all()


def test_cluster_ids_are_ordered_by_monetary_value_and_outliers_assigned(run):
    features, _, _, clusters, _ = run
    merged = clusters.merge(features[["customer_id", "monetary_value"]], on="customer_id")
    means = merged[~merged["is_outlier_assigned"]].groupby("cluster_id")["monetary_value"].mean()
    assert list(means.index) == sorted(means.index)
    assert means.is_monotonic_decreasing
    assert merged.loc[merged["customer_id"].isin(["x0", "x1"]), "is_outlier_assigned"].all()
    assert clusters[["pca_x", "pca_y"]].notna().all().all()


def test_profiles_name_personas_and_rules(run):
    *_, profiles = run
    assert set(profiles["persona_family"]) <= set(S.PERSONAS)
    assert profiles["persona"].is_unique
    assert abs(profiles["share"].sum() - 1) < 1e-6
    assert profiles["rules"].notna().any()
    families = set(profiles["persona_family"])
    assert "High-value loyalists" in families and "Window shoppers" in families


def test_same_data_same_result():
    features = _blobs(seed=3)
    first = S.assign_clusters(
        features,
        S.detect_outliers(features, CONFIG),
        S.evaluate_candidates(features, S.detect_outliers(features, CONFIG), CONFIG),
        CONFIG,
    )
    second = S.assign_clusters(
        features,
        S.detect_outliers(features, CONFIG),
        S.evaluate_candidates(features, S.detect_outliers(features, CONFIG), CONFIG),
        CONFIG,
    )
    pd.testing.assert_frame_equal(first, second)


def test_poor_quality_is_warned_not_hidden():
    rng = np.random.default_rng(1)
    noise = pd.DataFrame(rng.normal(5, 1, (600, len(FEATURES))).clip(0), columns=FEATURES)
    noise.insert(0, "customer_id", [f"n{i}" for i in range(600)])
    outliers = S.detect_outliers(noise, CONFIG)
    candidates = S.evaluate_candidates(noise, outliers, CONFIG)
    warning = candidates.loc[candidates["is_chosen"], "warning"].iloc[0]
    assert warning and "silhouette" in warning


@pytest.mark.parametrize(
    "z,orders,expected",
    [
        (
            {
                "monetary_value": 1.2,
                "orders_count": 0.9,
                "discount_share": 0,
                "recency_days": -1,
                "views_90d": 0,
            },
            9,
            "High-value loyalists",
        ),
        (
            {
                "monetary_value": 0,
                "orders_count": 0.1,
                "discount_share": 1.5,
                "recency_days": 0,
                "views_90d": 0,
            },
            4,
            "Deal seekers",
        ),
        (
            {
                "monetary_value": -1,
                "orders_count": -1,
                "discount_share": 0,
                "recency_days": 1.2,
                "views_90d": -1,
            },
            1,
            "Lapsed one-timers",
        ),
        (
            {
                "monetary_value": -1,
                "orders_count": -1,
                "discount_share": 0,
                "recency_days": 0,
                "views_90d": 2,
            },
            0.1,
            "Window shoppers",
        ),
        (
            {
                "monetary_value": 0.2,
                "orders_count": 0.3,
                "discount_share": 0,
                "recency_days": -0.6,
                "views_90d": 0,
            },
            5,
            "Regulars",
        ),
        (
            {"monetary_value": 0, "orders_count": 0, "discount_share": 0, "recency_days": 0, "views_90d": 0},
            2,
            "Occasional buyers",
        ),
    ],
)
def test_persona_rule(z, orders, expected):
    assert S.persona_for(pd.Series(z), orders) == expected


@pytest.mark.parametrize("n", [0, 1, 5])
def test_tiny_inputs_degrade_to_one_cluster_with_a_reason(n):
    features = _blobs(n_per=2).head(n).copy()
    outliers = S.detect_outliers(features, CONFIG)
    assert len(outliers) == n and not outliers["is_outlier"].any()
    candidates = S.evaluate_candidates(features, outliers, CONFIG)
    assert candidates["algorithm"].tolist() == [S.SKIPPED]
    assert candidates["is_chosen"].tolist() == [True]
    assert candidates["warning"].iloc[0] == f"skipped: {n} customers to fit, fewer than min_customers (50)"
    clusters = S.assign_clusters(features, outliers, candidates, CONFIG)
    assert len(clusters) == n and set(clusters["cluster_id"]) <= {1}
    profiles = S.profile_clusters(features, clusters, CONFIG)
    assert len(profiles) == (1 if n else 0)
    if n:
        assert profiles["customers"].tolist() == [n]


def test_identical_customers_are_not_clustered():
    features = _blobs(n_per=30)
    features[FEATURES] = 0.0  # e.g. a CRM-only export: nobody has any activity
    outliers = S.detect_outliers(features, CONFIG)
    candidates = S.evaluate_candidates(features, outliers, CONFIG)
    assert candidates["warning"].iloc[0] == "skipped: 1 distinct customers, fewer than min_segments (4)"


def test_row_order_does_not_change_the_answer():
    features = _blobs(n_per=60)
    shuffled = features.sample(frac=1.0, random_state=3)
    first = S.evaluate_candidates(features, S.detect_outliers(features, CONFIG), CONFIG)
    second = S.evaluate_candidates(shuffled, S.detect_outliers(shuffled, CONFIG), CONFIG)
    pd.testing.assert_frame_equal(first, second)


def test_outputs_keep_their_types_when_a_column_is_all_null():
    """With no outlier at all (e.g. a CRM-only export) the reason column is all null
    and must still reach DuckDB as text, or the marts' contracts fail."""
    import duckdb

    features = _blobs(n_per=30)
    features[FEATURES] = 1.0  # identical customers: nobody stands out
    outliers = S.detect_outliers(features, CONFIG)
    assert not outliers["is_outlier"].any()
    con = duckdb.connect()
    con.register("outliers", outliers)
    types = dict(con.execute("select column_name, column_type from (describe outliers)").fetchall())
    assert types["outlier_reason"] == "VARCHAR" and types["top_feature"] == "VARCHAR"


def test_settings_reject_unknown_missing_and_wrong_values():
    assert S.settings(PROJECT_SETTINGS | {"k_max": "6", "min_silhouette": 0.3})["k_max"] == 6
    with pytest.raises(ValueError, match="unknown key\\(s\\) k_maxx"):
        S.settings(PROJECT_SETTINGS | {"k_maxx": 6})
    with pytest.raises(ValueError, match="missing key\\(s\\) k_max"):
        S.settings({k: v for k, v in PROJECT_SETTINGS.items() if k != "k_max"})
    with pytest.raises(ValueError, match="missing key\\(s\\) k_max"):
        S.settings(PROJECT_SETTINGS | {"k_max": None})
    with pytest.raises(ValueError, match="k_max must be int"):
        S.settings(PROJECT_SETTINGS | {"k_max": "six"})
    with pytest.raises(ValueError, match="k_max must be int"):
        S.settings(PROJECT_SETTINGS | {"k_max": 6.5})
    with pytest.raises(ValueError, match="min_segments <= k_max"):
        S.settings(PROJECT_SETTINGS | {"k_max": 3, "min_segments": 4})
    with pytest.raises(ValueError, match="log_features tenure not in features"):
        S.settings(PROJECT_SETTINGS | {"log_features": ["tenure"]})
    with pytest.raises(ValueError, match="features must be a list"):
        S.settings(PROJECT_SETTINGS | {"features": "orders_count"})


def test_every_setting_is_set_in_the_project_and_nowhere_else():
    """The segmentation var sets every key the package knows, and the package holds no values."""
    assert set(PROJECT_SETTINGS) == set(S.SETTINGS)
    assert not hasattr(S, "DEFAULTS") and not hasattr(S, "FEATURES")


def test_fitting_sample_is_chosen_once_for_evaluation_and_assignment(run):
    features, outliers, *_ = run
    cfg = S.settings(CONFIG | {"fit_sample_size": 100})
    ordered = features.sort_values("customer_id").reset_index(drop=True)
    _, mask, first, _ = S.fitting_sample(ordered, outliers, cfg)
    _, _, second, _ = S.fitting_sample(ordered, outliers, cfg)
    assert first.shape == (100, len(FEATURES)) and np.array_equal(first, second)
    assert mask.sum() == outliers["is_outlier"].sum()
