"""Customer segmentation: outlier detection, clustering with model selection and
validation, profiles and personas. Pure functions on pandas frames; the dbt Python
models in models/marts/segments are thin adapters around them.

Every random step takes ``random_state``; everything quadratic in the number of
customers (silhouette, LOF, DBSCAN) runs on a fixed-size sample, and fitted models
score all customers.

Small or empty inputs degrade instead of failing: with fewer than ``min_customers``
customers (or too few distinct ones to form ``min_segments`` clusters) no detector or
clustering is fitted; nobody is an outlier, everyone is in cluster 1, and the
candidates table holds one ``skipped`` row whose warning says why (model_runs shows
it). Every function sorts its input by ``customer_id`` first, so the same customers
give the same answer whatever order the warehouse returns them in.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN, KMeans
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import LocalOutlierFactor, NearestNeighbors
from sklearn.tree import DecisionTreeClassifier, _tree

# Model inputs (columns of customer_features_scaled, gaps already filled). Counts and
# money are log1p-transformed before standardising, so a few big spenders do not
# dominate the distances.
FEATURES = [
    "orders_count",
    "monetary_value",
    "avg_order_value",
    "recency_days",
    "tenure_days",
    "sessions_90d",
    "views_90d",
    "email_open_rate",
    "email_click_rate",
    "category_entropy",
    "discount_share",
    "days_since_last_activity",
]
LOG_FEATURES = {"orders_count", "monetary_value", "avg_order_value", "sessions_90d", "views_90d"}

DEFAULTS = {
    "random_state": 42,
    "z_threshold": 3.0,
    "contamination": 0.01,
    "outlier_sample_size": 10_000,
    "lof_neighbors": 20,
    "k_min": 2,
    "k_max": 8,
    "min_segments": 4,
    "fit_sample_size": 10_000,
    "silhouette_sample_size": 5_000,
    "stability_resamples": 5,
    "dbscan_sample_size": 5_000,
    "min_silhouette": 0.25,
    "min_stability": 0.8,
    "tree_depth": 4,
    "min_customers": 50,
}


def settings(overrides: dict | None = None) -> dict:
    """DEFAULTS updated with the non-null values of ``overrides`` (the ``segmentation``
    var). An unknown key (a typo in the YAML) or a value of the wrong kind is an error
    naming the key, never silently ignored."""
    merged = dict(DEFAULTS)
    unknown = sorted(set(overrides or {}) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"segmentation settings: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(DEFAULTS))}"
        )
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        kind = type(DEFAULTS[key])
        try:
            if kind is int and float(value) != int(float(value)):
                raise ValueError
            merged[key] = kind(float(value)) if kind is int else kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"segmentation settings: {key} must be {kind.__name__}, not {value!r}") from None
    return merged


def model_matrix(features: pd.DataFrame, log_scale: bool = True) -> tuple[np.ndarray, list[str]]:
    """Standardised model inputs: log1p for counts and money (unless ``log_scale``
    is false: outlier detection looks at the raw scale), then z-scores."""
    frame = features[FEATURES].astype(float).copy()
    for column in LOG_FEATURES if log_scale else ():
        frame[column] = np.log1p(frame[column].clip(lower=0))
    values = frame.to_numpy()
    if len(values) == 0:
        return values, list(frame.columns)
    std = values.std(axis=0)
    std[std == 0] = 1.0
    return (values - values.mean(axis=0)) / std, list(frame.columns)


def _sample(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    return np.sort(rng.choice(n, size=size, replace=False)) if n > size else np.arange(n)


SKIPPED = "skipped"


def _sorted(features: pd.DataFrame) -> pd.DataFrame:
    """Rows in customer_id order: the warehouse returns them in any order."""
    return features.sort_values("customer_id", kind="mergesort").reset_index(drop=True)


def _no_outliers(features: pd.DataFrame) -> pd.DataFrame:
    """Outlier verdicts when there are too few customers to fit a detector: none."""
    n = len(features)
    return pd.DataFrame(
        {
            "customer_id": features["customer_id"].astype("str"),
            "max_abs_z": np.full(n, np.nan),
            "top_feature": pd.Series([None] * n, dtype="str"),
            "is_z_outlier": np.zeros(n, dtype=bool),
            "isolation_forest_score": np.full(n, np.nan),
            "is_isolation_forest_outlier": np.zeros(n, dtype=bool),
            "lof_score": np.full(n, np.nan),
            "is_lof_outlier": np.zeros(n, dtype=bool),
            "outlier_votes": np.zeros(n, dtype="int64"),
            "is_outlier": np.zeros(n, dtype=bool),
            "outlier_reason": pd.Series([None] * n, dtype="str"),
            "training_rows": np.zeros(n, dtype="int64"),
        }
    )


def _skipped_candidates(cfg: dict, rows: int, distinct: int) -> pd.DataFrame:
    """The one candidate row of a run that fitted nothing, with the reason."""
    reason = (
        f"skipped: {rows} customers to fit, fewer than min_customers ({cfg['min_customers']})"
        if rows < cfg["min_customers"]
        else f"skipped: {distinct} distinct customers, fewer than min_segments ({cfg['min_segments']})"
    )
    return pd.DataFrame(
        {
            "algorithm": pd.Series([SKIPPED], dtype="str"),
            "k": np.array([1], dtype="int64"),
            "silhouette": [np.nan],
            "inertia": [np.nan],
            "bic": [np.nan],
            "aic": [np.nan],
            "noise_share": [np.nan],
            "is_chosen": [True],
            "stability_ari": [np.nan],
            "warning": pd.Series([reason], dtype="str"),
            "training_rows": np.array([rows], dtype="int64"),
            "silhouette_sample_rows": np.array([0], dtype="int64"),
            "hyperparameters": pd.Series([json.dumps({k: cfg[k] for k in sorted(cfg)})], dtype="str"),
        }
    )


def _empty_profiles() -> pd.DataFrame:
    columns = {
        "cluster_id": "int64",
        "persona": "str",
        "persona_family": "str",
        "customers": "int64",
        "share": "float64",
        "rules": "str",
        "tree_training_accuracy": "float64",
    }
    for feature in FEATURES:
        columns[f"mean_{feature}"] = "float64"
        columns[f"zdiff_{feature}"] = "float64"
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


def detect_outliers(features: pd.DataFrame, config: dict | None = None) -> pd.DataFrame:
    """Three detectors and their consensus, one row per customer.

    - z-score: the largest |z| over the model inputs above ``z_threshold``;
    - Isolation Forest, fitted on a sample, scores everyone; the ``contamination``
      share with the lowest scores in the sample sets the threshold;
    - Local Outlier Factor (novelty mode), fitted on a sample, scores everyone; same
      threshold rule.
    All three work on the raw-scale standardised inputs (an extreme spender is
    extreme on the raw scale). A customer flagged by at least two is an outlier. The reason names the input
    with the largest |z|.
    """
    cfg = settings(config)
    features = _sorted(features)
    if len(features) < cfg["min_customers"]:
        return _no_outliers(features)
    rng = np.random.default_rng(cfg["random_state"])
    x, names = model_matrix(features, log_scale=False)
    n = len(x)
    abs_z = np.abs(x)
    top = abs_z.argmax(axis=1)
    z_max = abs_z.max(axis=1)
    sample = _sample(n, cfg["outlier_sample_size"], rng)

    forest = IsolationForest(n_estimators=100, random_state=cfg["random_state"]).fit(x[sample])
    forest_scores = forest.score_samples(x)
    forest_cut = np.quantile(forest.score_samples(x[sample]), cfg["contamination"])

    neighbors = min(cfg["lof_neighbors"], max(len(sample) - 1, 1))
    lof = LocalOutlierFactor(n_neighbors=neighbors, novelty=True, algorithm="brute").fit(x[sample])
    lof_scores = lof.score_samples(x)
    lof_cut = np.quantile(lof.score_samples(x[sample]), cfg["contamination"])

    is_z = z_max > cfg["z_threshold"]
    is_forest = forest_scores < forest_cut
    is_lof = lof_scores < lof_cut
    votes = is_z.astype(int) + is_forest.astype(int) + is_lof.astype(int)
    top_feature = np.asarray(names, dtype=object)[top]
    signed = x[np.arange(n), top]
    reason = np.where(
        votes >= 2,
        [
            f"{f} {'high' if s > 0 else 'low'} (z={s:+.1f}); flagged by {v} of 3 detectors"
            for f, s, v in zip(top_feature, signed, votes, strict=True)
        ],
        None,
    )
    return pd.DataFrame(
        {
            "customer_id": features["customer_id"].astype("str"),
            "max_abs_z": z_max.round(4),
            "top_feature": pd.Series(top_feature, dtype="str"),
            "is_z_outlier": is_z,
            "isolation_forest_score": forest_scores.round(6),
            "is_isolation_forest_outlier": is_forest,
            "lof_score": lof_scores.round(6),
            "is_lof_outlier": is_lof,
            "outlier_votes": votes.astype("int64"),
            "is_outlier": votes >= 2,
            "outlier_reason": pd.Series(reason, dtype="str"),  # typed: all-null when nobody is an outlier
            "training_rows": np.full(n, len(sample), dtype="int64"),
        }
    )


def _fit(algorithm: str, k: int, x: np.ndarray, random_state: int):
    if algorithm == "kmeans":
        return KMeans(n_clusters=k, n_init="auto", random_state=random_state).fit(x)
    return GaussianMixture(n_components=k, covariance_type="full", random_state=random_state).fit(x)


def evaluate_candidates(
    features: pd.DataFrame, outliers: pd.DataFrame, config: dict | None = None
) -> pd.DataFrame:
    """Fit K-Means and Gaussian mixtures for k in [k_min, k_max] on the non-outlier
    customers (a sample of at most ``fit_sample_size``), and a DBSCAN density view.

    Selection rule: among candidates with k >= ``min_segments`` (every k in the range
    is still scored and recorded: silhouette alone favours a 2-way buyers / non-buyers
    split, too coarse to market to), the highest silhouette (on a fixed sample of
    ``silhouette_sample_size``); a Gaussian mixture must beat the best K-Means by
    more than 0.02 to be chosen (K-Means is simpler to explain and to score);
    ties go to the smaller k. The chosen candidate is refitted on
    ``stability_resamples`` bootstrap resamples and compared with itself on the
    fitting sample (mean adjusted Rand index). A warning is recorded when the
    silhouette is below ``min_silhouette`` or the stability below ``min_stability``.
    """
    cfg = settings(config)
    features = _sorted(features)
    rng = np.random.default_rng(cfg["random_state"])
    keep = ~features["customer_id"].isin(outliers.loc[outliers["is_outlier"], "customer_id"])
    x_all, _ = model_matrix(features)
    x = x_all[keep.to_numpy()]
    fit_rows = _sample(len(x), cfg["fit_sample_size"], rng)
    x_fit = x[fit_rows]
    distinct = len(np.unique(x_fit.round(9), axis=0)) if len(x_fit) else 0
    if len(x_fit) < cfg["min_customers"] or distinct < cfg["min_segments"]:
        return _skipped_candidates(cfg, len(x_fit), distinct)
    sil_rows = _sample(len(x_fit), cfg["silhouette_sample_size"], rng)

    rows = []
    for algorithm in ("kmeans", "gmm"):
        for k in range(cfg["k_min"], cfg["k_max"] + 1):
            model = _fit(algorithm, k, x_fit, cfg["random_state"])
            labels = model.predict(x_fit)
            silhouette = (
                float(silhouette_score(x_fit[sil_rows], labels[sil_rows]))
                if len(np.unique(labels[sil_rows])) > 1
                else -1.0
            )
            rows.append(
                {
                    "algorithm": algorithm,
                    "k": k,
                    "silhouette": silhouette,
                    "inertia": float(model.inertia_) if algorithm == "kmeans" else None,
                    "bic": float(model.bic(x_fit)) if algorithm == "gmm" else None,
                    "aic": float(model.aic(x_fit)) if algorithm == "gmm" else None,
                    "noise_share": None,
                }
            )
    candidates = pd.DataFrame(rows)

    # density view: DBSCAN on a sample, eps from the 90th percentile of 10-NN distances
    dens_rows = _sample(len(x_fit), cfg["dbscan_sample_size"], rng)
    x_dens = x_fit[dens_rows]
    distances, _ = NearestNeighbors(n_neighbors=10).fit(x_dens).kneighbors(x_dens)
    eps = float(np.quantile(distances[:, -1], 0.9))
    dbscan = DBSCAN(eps=eps, min_samples=10).fit(x_dens)
    found = int(len(set(dbscan.labels_)) - (1 if -1 in dbscan.labels_ else 0))
    core = dbscan.labels_ >= 0
    dbscan_sil = (
        float(silhouette_score(x_dens[core], dbscan.labels_[core]))
        if found > 1 and core.sum() > found
        else None
    )
    candidates = pd.concat(
        [
            candidates,
            pd.DataFrame(
                [
                    {
                        "algorithm": "dbscan",
                        "k": found,
                        "silhouette": dbscan_sil,
                        "inertia": None,
                        "bic": None,
                        "aic": None,
                        "noise_share": float((~core).mean()),
                    }
                ]
            ),
        ],
        ignore_index=True,
    )

    fitted = candidates[(candidates["algorithm"] != "dbscan") & (candidates["k"] >= cfg["min_segments"])]
    best_kmeans = (
        fitted[fitted["algorithm"] == "kmeans"]
        .sort_values(["silhouette", "k"], ascending=[False, True])
        .iloc[0]
    )
    best_gmm = (
        fitted[fitted["algorithm"] == "gmm"].sort_values(["silhouette", "k"], ascending=[False, True]).iloc[0]
    )
    chosen = best_gmm if best_gmm["silhouette"] > best_kmeans["silhouette"] + 0.02 else best_kmeans
    chosen_algorithm, chosen_k = chosen["algorithm"], int(chosen["k"])

    reference = _fit(chosen_algorithm, chosen_k, x_fit, cfg["random_state"]).predict(x_fit)
    aris = []
    for b in range(cfg["stability_resamples"]):
        boot = rng.choice(len(x_fit), size=len(x_fit), replace=True)
        model = _fit(chosen_algorithm, chosen_k, x_fit[boot], cfg["random_state"] + b + 1)
        aris.append(adjusted_rand_score(reference, model.predict(x_fit)))
    stability = float(np.mean(aris)) if aris else None

    candidates["is_chosen"] = (candidates["algorithm"] == chosen_algorithm) & (candidates["k"] == chosen_k)
    candidates["stability_ari"] = np.where(candidates["is_chosen"], stability, None)
    warnings = []
    if chosen["silhouette"] < cfg["min_silhouette"]:
        warnings.append(f"silhouette {chosen['silhouette']:.3f} < {cfg['min_silhouette']}")
    if stability is not None and stability < cfg["min_stability"]:
        warnings.append(f"stability {stability:.3f} < {cfg['min_stability']}")
    candidates["warning"] = np.where(candidates["is_chosen"], "; ".join(warnings) or None, None)
    candidates["training_rows"] = len(x_fit)
    candidates["silhouette_sample_rows"] = np.where(
        candidates["algorithm"] == "dbscan", len(x_dens), len(sil_rows)
    )
    candidates["hyperparameters"] = json.dumps(
        {k: cfg[k] for k in sorted(cfg)} | {"dbscan_eps": round(eps, 4)}
    )
    return candidates


def assign_clusters(
    features: pd.DataFrame, outliers: pd.DataFrame, candidates: pd.DataFrame, config: dict | None = None
) -> pd.DataFrame:
    """Refit the chosen candidate on the same sample, assign every customer (outliers
    go to the nearest cluster, flagged), number clusters 1..k by mean monetary value
    (highest first), and add 2-D PCA coordinates fitted on the same sample."""
    cfg = settings(config)
    features = _sorted(features)
    rng = np.random.default_rng(cfg["random_state"])
    chosen = candidates[candidates["is_chosen"]].iloc[0]
    is_outlier = features["customer_id"].isin(outliers.loc[outliers["is_outlier"], "customer_id"]).to_numpy()
    if chosen["algorithm"] == SKIPPED:
        return pd.DataFrame(
            {
                "customer_id": features["customer_id"].astype("str"),
                "cluster_id": np.ones(len(features), dtype="int64"),
                "is_outlier_assigned": is_outlier.astype(bool),
                "pca_x": np.zeros(len(features)),
                "pca_y": np.zeros(len(features)),
                "algorithm": pd.Series([SKIPPED] * len(features), dtype="str"),
            }
        )
    x_all, _ = model_matrix(features)
    x = x_all[~is_outlier]
    x_fit = x[_sample(len(x), cfg["fit_sample_size"], rng)]
    model = _fit(chosen["algorithm"], int(chosen["k"]), x_fit, cfg["random_state"])
    labels = model.predict(x_all)

    means = pd.Series(features["monetary_value"].astype(float).to_numpy()).groupby(labels).mean()
    order = means.sort_values(ascending=False, kind="mergesort").index
    renumber = {old: new for new, old in enumerate(order, start=1)}
    pca = PCA(n_components=2, random_state=cfg["random_state"]).fit(x_fit)
    coords = pca.transform(x_all)
    return pd.DataFrame(
        {
            "customer_id": features["customer_id"].astype("str"),
            "cluster_id": np.array([renumber[label] for label in labels], dtype="int64"),
            "is_outlier_assigned": is_outlier,
            "pca_x": coords[:, 0].round(5),
            "pca_y": coords[:, 1].round(5),
            "algorithm": chosen["algorithm"],
        }
    )


PERSONAS = [
    "Window shoppers",
    "High-value loyalists",
    "Deal seekers",
    "Lapsed one-timers",
    "Regulars",
    "Occasional buyers",
]


def persona_for(z: pd.Series, mean_orders: float) -> str:
    """Persona from a cluster's mean z-differences (standardised model inputs):
    Window shoppers (under 0.5 orders on average: they browse, rarely buy),
    High-value loyalists (monetary > +0.8 and orders > +0.5), Deal seekers (discount
    share > +0.8), Lapsed one-timers (at most 1.5 orders on average and recency >
    +0.5), Window shoppers (views > +0.5 and orders < -0.3), Regulars (recency < -0.3
    and orders > 0), else Occasional buyers."""
    if mean_orders < 0.5:
        return PERSONAS[0]
    if z["monetary_value"] > 0.8 and z["orders_count"] > 0.5:
        return PERSONAS[1]
    if z["discount_share"] > 0.8:
        return PERSONAS[2]
    if mean_orders <= 1.5 and z["recency_days"] > 0.5:
        return PERSONAS[3]
    if z["views_90d"] > 0.5 and z["orders_count"] < -0.3:
        return PERSONAS[0]
    if z["recency_days"] < -0.3 and z["orders_count"] > 0:
        return PERSONAS[4]
    return PERSONAS[5]


def _tree_rules(tree: DecisionTreeClassifier, names: list[str]) -> dict[int, list[str]]:
    inner = tree.tree_
    rules: dict[int, list[str]] = {}

    def walk(node: int, path: list[str]) -> None:
        if inner.feature[node] == _tree.TREE_UNDEFINED:
            label = int(tree.classes_[int(np.argmax(inner.value[node][0]))])
            rules.setdefault(label, []).append(" and ".join(path) or "always")
            return
        name, cut = names[inner.feature[node]], inner.threshold[node]
        walk(inner.children_left[node], [*path, f"{name} <= {cut:.2f}"])
        walk(inner.children_right[node], [*path, f"{name} > {cut:.2f}"])

    walk(0, [])
    return rules


def profile_clusters(
    features: pd.DataFrame, clusters: pd.DataFrame, config: dict | None = None
) -> pd.DataFrame:
    """One row per cluster: size, share, mean and mean z-difference of each model
    input, persona (``persona_for``; a repeated persona gets its cluster number), and
    readable rules from a shallow decision tree predicting the cluster from the raw
    inputs (fitted on a sample; its training accuracy is reported)."""
    cfg = settings(config)
    rng = np.random.default_rng(cfg["random_state"])
    merged = _sorted(features).merge(clusters[["customer_id", "cluster_id"]], on="customer_id")
    if merged.empty:
        return _empty_profiles()
    x, _ = model_matrix(merged)
    z = pd.DataFrame(x, columns=FEATURES)
    z["cluster_id"] = merged["cluster_id"].to_numpy()
    raw = merged[FEATURES].astype(float)
    raw["cluster_id"] = merged["cluster_id"].to_numpy()

    rows = _sample(len(merged), cfg["fit_sample_size"], rng)
    tree = DecisionTreeClassifier(max_depth=cfg["tree_depth"], random_state=cfg["random_state"])
    tree.fit(raw[FEATURES].to_numpy()[rows], raw["cluster_id"].to_numpy()[rows])
    accuracy = float(tree.score(raw[FEATURES].to_numpy()[rows], raw["cluster_id"].to_numpy()[rows]))
    rules = _tree_rules(tree, FEATURES)

    out = []
    seen: dict[str, int] = {}
    for cluster_id, group in raw.groupby("cluster_id"):
        zdiff = z[z["cluster_id"] == cluster_id][FEATURES].mean()
        family = persona_for(zdiff, float(group["orders_count"].mean()))
        seen[family] = seen.get(family, 0) + 1
        row = {
            "cluster_id": int(cluster_id),
            "persona": family if seen[family] == 1 else f"{family} ({cluster_id})",
            "persona_family": family,
            "customers": int(len(group)),
            "share": round(len(group) / len(raw), 5),
            "rules": " OR ".join(f"({r})" for r in rules.get(int(cluster_id), [])) or None,
            "tree_training_accuracy": round(accuracy, 4),
        }
        for feature in FEATURES:
            row[f"mean_{feature}"] = round(float(group[feature].mean()), 4)
            row[f"zdiff_{feature}"] = round(float(zdiff[feature]), 4)
        out.append(row)
    return pd.DataFrame(out).astype({"persona": "str", "persona_family": "str", "rules": "str"})
