"""Customer segmentation: outlier detection, clustering with model selection and
validation, profiles and personas. Pure functions on pandas frames; the dbt Python
models in models/intermediate/segments are thin adapters around them, and every
input and hyperparameter comes from the `segmentation` var (see SETTINGS).

Every random step takes ``random_state``; everything quadratic in the number of
customers (silhouette, LOF, DBSCAN) runs on a fixed-size sample, and fitted models
score all customers.

Small or empty inputs degrade instead of failing: with fewer than ``min_customers``
customers (or too few distinct ones to form ``min_segments`` clusters) no detector or
clustering is fitted; nobody is an outlier, everyone is in cluster 1, and the
candidates table holds one ``skipped`` row whose warning says why (model_runs shows
it). Every function sorts its input by ``customer_id`` first, so the same customers
give the same answer whatever order the warehouse returns them in.

The clusterings (evaluate_candidates, assign_clusters) run their numeric libraries on
one thread (threadpoolctl), as the prediction fits do: their matrices are small (a
10,000-row sample, 12 columns), and with dbt running another model beside them BLAS's
second thread only waits for a core. On the 100,000-customer warehouse, in-process
with one other busy process on the 2 cores: evaluate_candidates 15.8 s with the
default threads, 5.2 s on one (the same choice; inertias equal to 1e-9). The outlier
detectors keep the default (3.7 s against 4.3 s on one thread).
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
from threadpoolctl import threadpool_limits

from c360.parallel import side_by_side
from c360.settings import at_least, checked, sample_positions

# Every key of the `segmentation` var (dbt_project.yml: the one place the values are
# set; the dbt Python models receive it as config), its kind and meaning. settings()
# requires exactly these keys.
SETTINGS: dict[str, tuple[object, str]] = {
    "features": (list, "model inputs: columns of int_customer_model_inputs_filled (gaps filled)"),
    "log_features": (list, "inputs log1p-transformed before standardising (counts and money)"),
    "random_state": (int, "seed of every random step"),
    "z_threshold": (float, "|z| above which the z-score detector flags a customer"),
    "contamination": (float, "share of the outlier-fitting sample each model-based detector flags"),
    "outlier_sample_size": (int, "customers the Isolation Forest and LOF are fitted on"),
    "isolation_forest_trees": (int, "trees in the Isolation Forest"),
    "lof_neighbors": (int, "neighbours of the Local Outlier Factor"),
    "k_min": (int, "smallest number of clusters tried"),
    "k_max": (int, "largest number of clusters tried"),
    "min_segments": (int, "fewest clusters a chosen candidate may have"),
    "gmm_margin": (float, "silhouette a Gaussian mixture must gain over the best K-Means to be chosen"),
    "fit_sample_size": (int, "customers the clusterings are fitted on"),
    "silhouette_sample_size": (int, "customers the silhouette is measured on"),
    "stability_resamples": (int, "bootstrap refits of the chosen candidate for its stability"),
    "dbscan_sample_size": (int, "customers of the DBSCAN density view"),
    "dbscan_neighbors": (int, "DBSCAN min_samples, and the k of the k-NN distances setting eps"),
    "dbscan_eps_quantile": (float, "quantile of the k-NN distances used as DBSCAN eps"),
    "min_silhouette": (float, "a chosen candidate below this silhouette carries a warning"),
    "min_stability": (float, "a chosen candidate below this stability (mean ARI) carries a warning"),
    "tree_depth": (int, "depth of the decision tree that writes the cluster rules"),
    "min_customers": (int, "fewer customers to fit: nothing is fitted (model_runs says so)"),
}
# Keys naming the inputs rather than tuning the fit: left out of the recorded hyperparameters.
INPUT_KEYS = ("features", "log_features")


def _setting_error(message: str) -> ValueError:
    return ValueError(f"segmentation settings: {message}")


def settings(config: dict | None) -> dict:
    """The ``segmentation`` var checked: every key of SETTINGS present, no other,
    each of its kind, and the ranges the algorithms need. Errors name the key."""
    cfg = checked(config, SETTINGS, "segmentation")
    _check_ranges(cfg)
    return cfg


def _check_ranges(cfg: dict) -> None:
    if not cfg["features"]:
        raise _setting_error("features is empty")
    if len(set(cfg["features"])) != len(cfg["features"]):
        raise _setting_error("features lists a column twice")
    stray = sorted(set(cfg["log_features"]) - set(cfg["features"]))
    if stray:
        raise _setting_error(f"log_features {', '.join(stray)} not in features")
    if not 2 <= cfg["k_min"] <= cfg["min_segments"] <= cfg["k_max"]:
        raise _setting_error(
            f"need 2 <= k_min <= min_segments <= k_max, got k_min={cfg['k_min']}, "
            f"min_segments={cfg['min_segments']}, k_max={cfg['k_max']}"
        )
    if not 0 < cfg["contamination"] < 0.5:
        raise _setting_error(f"contamination must be in (0, 0.5), got {cfg['contamination']}")
    if not 0 < cfg["dbscan_eps_quantile"] <= 1:
        raise _setting_error(f"dbscan_eps_quantile must be in (0, 1], got {cfg['dbscan_eps_quantile']}")
    at_least(
        cfg,
        (
            "outlier_sample_size",
            "isolation_forest_trees",
            "lof_neighbors",
            "fit_sample_size",
            "silhouette_sample_size",
            "dbscan_sample_size",
            "dbscan_neighbors",
            "tree_depth",
            "min_customers",
        ),
        1,
        "segmentation",
    )
    if cfg["stability_resamples"] < 0:
        raise _setting_error(f"stability_resamples must not be negative, got {cfg['stability_resamples']}")


def _hyperparameters(cfg: dict, **extra) -> str:
    """The run's settings as recorded in model_runs (inputs left out), plus what the fit derived."""
    return json.dumps({k: cfg[k] for k in sorted(cfg) if k not in INPUT_KEYS} | extra)


def model_matrix(features: pd.DataFrame, cfg: dict, log_scale: bool = True) -> tuple[np.ndarray, list[str]]:
    """Standardised model inputs (``cfg['features']``): log1p for ``log_features``
    (unless ``log_scale`` is false: outlier detection looks at the raw scale), then
    z-scores."""
    frame = features[cfg["features"]].astype(float).copy()
    for column in cfg["log_features"] if log_scale else ():
        frame[column] = np.log1p(frame[column].clip(lower=0))
    values = frame.to_numpy()
    if len(values) == 0:
        return values, list(frame.columns)
    std = values.std(axis=0)
    std[std == 0] = 1.0
    return (values - values.mean(axis=0)) / std, list(frame.columns)


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
            "hyperparameters": pd.Series([_hyperparameters(cfg)], dtype="str"),
        }
    )


def _empty_profiles(cfg: dict) -> pd.DataFrame:
    columns = {
        "cluster_id": "int64",
        "persona": "str",
        "persona_family": "str",
        "customers": "int64",
        "share": "float64",
        "rules": "str",
        "tree_training_accuracy": "float64",
    }
    for feature in cfg["features"]:
        columns[f"mean_{feature}"] = "float64"
        columns[f"zdiff_{feature}"] = "float64"
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


def detect_outliers(features: pd.DataFrame, config: dict) -> pd.DataFrame:
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
    x, names = model_matrix(features, cfg, log_scale=False)
    n = len(x)
    abs_z = np.abs(x)
    top = abs_z.argmax(axis=1)
    z_max = abs_z.max(axis=1)
    sample = sample_positions(n, cfg["outlier_sample_size"], rng)

    forest = IsolationForest(
        n_estimators=cfg["isolation_forest_trees"], random_state=cfg["random_state"]
    ).fit(x[sample])
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
    # the reason is written only for the outliers (12,471 of 1,002,197 customers in
    # the 1,000,000 benchmark)
    reason = np.full(n, None, dtype=object)
    flagged = np.flatnonzero(votes >= 2)
    reason[flagged] = [
        f"{f} {'high' if s > 0 else 'low'} (z={s:+.1f}); flagged by {v} of 3 detectors"
        for f, s, v in zip(top_feature[flagged], signed[flagged], votes[flagged], strict=True)
    ]
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


def _outlier_mask(features: pd.DataFrame, outliers: pd.DataFrame) -> np.ndarray:
    return features["customer_id"].isin(outliers.loc[outliers["is_outlier"], "customer_id"]).to_numpy()


def fitting_sample(features: pd.DataFrame, outliers: pd.DataFrame, cfg: dict):
    """The one place the clustering's fitting rows are chosen: the standardised inputs
    of every customer (sorted by customer_id), and of those the non-outliers, at most
    ``fit_sample_size`` of them drawn first from a generator seeded with
    ``random_state``. evaluate_candidates and assign_clusters both call it, so they fit
    on the same rows. Returns (inputs of everyone, outlier mask, fitting inputs,
    the generator, positioned after the draw, for the caller's later draws)."""
    rng = np.random.default_rng(cfg["random_state"])
    is_outlier = _outlier_mask(features, outliers)
    x_all, _ = model_matrix(features, cfg)
    x = x_all[~is_outlier]
    return x_all, is_outlier, x[sample_positions(len(x), cfg["fit_sample_size"], rng)], rng


def _score_grid(x_fit: np.ndarray, sil_rows: np.ndarray, cfg: dict) -> pd.DataFrame:
    """K-Means and Gaussian mixtures for every k in [k_min, k_max], with silhouette
    (on ``sil_rows``), inertia, BIC and AIC."""

    def candidate(grid_point: tuple[str, int]) -> dict:
        algorithm, k = grid_point
        model = _fit(algorithm, k, x_fit, cfg["random_state"])
        labels = model.predict(x_fit)
        silhouette = (
            float(silhouette_score(x_fit[sil_rows], labels[sil_rows]))
            if len(np.unique(labels[sil_rows])) > 1
            else -1.0
        )
        return {
            "algorithm": algorithm,
            "k": k,
            "silhouette": silhouette,
            "inertia": float(model.inertia_) if algorithm == "kmeans" else None,
            "bic": float(model.bic(x_fit)) if algorithm == "gmm" else None,
            "aic": float(model.aic(x_fit)) if algorithm == "gmm" else None,
            "noise_share": None,
        }

    # every candidate is fitted alone with its own seed: side by side (c360.parallel)
    grid = [(algorithm, k) for algorithm in ("kmeans", "gmm") for k in range(cfg["k_min"], cfg["k_max"] + 1)]
    return pd.DataFrame(side_by_side(candidate, grid))


def _density_view(x_fit: np.ndarray, rng: np.random.Generator, cfg: dict) -> tuple[dict, float, int]:
    """DBSCAN on a sample of the fitting rows, eps the ``dbscan_eps_quantile`` of the
    distances to the ``dbscan_neighbors``-th neighbour: (candidate row, eps, sample size)."""
    dens_rows = sample_positions(len(x_fit), cfg["dbscan_sample_size"], rng)
    x_dens = x_fit[dens_rows]
    neighbors = min(cfg["dbscan_neighbors"], len(x_dens))
    distances, _ = NearestNeighbors(n_neighbors=neighbors).fit(x_dens).kneighbors(x_dens)
    eps = float(np.quantile(distances[:, -1], cfg["dbscan_eps_quantile"]))
    dbscan = DBSCAN(eps=eps, min_samples=cfg["dbscan_neighbors"]).fit(x_dens)
    found = int(len(set(dbscan.labels_)) - (1 if -1 in dbscan.labels_ else 0))
    core = dbscan.labels_ >= 0
    silhouette = (
        float(silhouette_score(x_dens[core], dbscan.labels_[core]))
        if found > 1 and core.sum() > found
        else None
    )
    row = {
        "algorithm": "dbscan",
        "k": found,
        "silhouette": silhouette,
        "inertia": None,
        "bic": None,
        "aic": None,
        "noise_share": float((~core).mean()),
    }
    return row, eps, len(x_dens)


def _choose(candidates: pd.DataFrame, cfg: dict) -> pd.Series:
    """Among fitted candidates with k >= ``min_segments``, the best silhouette (ties:
    smaller k); a Gaussian mixture must beat the best K-Means by more than ``gmm_margin``."""
    fitted = candidates[(candidates["algorithm"] != "dbscan") & (candidates["k"] >= cfg["min_segments"])]

    def best(algorithm: str) -> pd.Series:
        ranked = fitted[fitted["algorithm"] == algorithm].sort_values(
            ["silhouette", "k"], ascending=[False, True]
        )
        if ranked.empty:  # settings() rules this out; kept as a readable guard
            raise _setting_error(f"no {algorithm} candidate with k >= min_segments ({cfg['min_segments']})")
        return ranked.iloc[0]

    best_kmeans, best_gmm = best("kmeans"), best("gmm")
    return best_gmm if best_gmm["silhouette"] > best_kmeans["silhouette"] + cfg["gmm_margin"] else best_kmeans


def _stability(
    x_fit: np.ndarray, algorithm: str, k: int, rng: np.random.Generator, cfg: dict
) -> float | None:
    """Mean adjusted Rand index between the candidate fitted on the fitting rows and
    refits on ``stability_resamples`` bootstrap resamples, compared on the fitting rows."""
    reference = _fit(algorithm, k, x_fit, cfg["random_state"]).predict(x_fit)
    aris = []
    for b in range(cfg["stability_resamples"]):
        boot = rng.choice(len(x_fit), size=len(x_fit), replace=True)
        model = _fit(algorithm, k, x_fit[boot], cfg["random_state"] + b + 1)
        aris.append(adjusted_rand_score(reference, model.predict(x_fit)))
    return float(np.mean(aris)) if aris else None


def _quality_warning(silhouette: float, stability: float | None, cfg: dict) -> str | None:
    warnings = []
    if silhouette < cfg["min_silhouette"]:
        warnings.append(f"silhouette {silhouette:.3f} < {cfg['min_silhouette']}")
    if stability is not None and stability < cfg["min_stability"]:
        warnings.append(f"stability {stability:.3f} < {cfg['min_stability']}")
    return "; ".join(warnings) or None


@threadpool_limits.wrap(limits=1)
def evaluate_candidates(features: pd.DataFrame, outliers: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Fit K-Means and Gaussian mixtures for k in [k_min, k_max] on the fitting sample
    (``fitting_sample``: non-outliers, at most ``fit_sample_size``), and a DBSCAN
    density view; choose one (``_choose``: among k >= ``min_segments``, since every k
    is still scored and recorded but silhouette alone favours a 2-way buyers /
    non-buyers split, too coarse to market to; K-Means unless a mixture is clearly
    better, being simpler to explain and to score); measure its stability
    (``_stability``); warn below ``min_silhouette`` or ``min_stability``.
    """
    cfg = settings(config)
    features = _sorted(features)
    _, _, x_fit, rng = fitting_sample(features, outliers, cfg)
    distinct = len(np.unique(x_fit.round(9), axis=0)) if len(x_fit) else 0
    if len(x_fit) < cfg["min_customers"] or distinct < cfg["min_segments"]:
        return _skipped_candidates(cfg, len(x_fit), distinct)
    sil_rows = sample_positions(len(x_fit), cfg["silhouette_sample_size"], rng)

    candidates = _score_grid(x_fit, sil_rows, cfg)
    density, eps, density_rows = _density_view(x_fit, rng, cfg)
    candidates = pd.concat([candidates, pd.DataFrame([density])], ignore_index=True)

    chosen = _choose(candidates, cfg)
    chosen_algorithm, chosen_k = chosen["algorithm"], int(chosen["k"])
    stability = _stability(x_fit, chosen_algorithm, chosen_k, rng, cfg)

    candidates["is_chosen"] = (candidates["algorithm"] == chosen_algorithm) & (candidates["k"] == chosen_k)
    candidates["stability_ari"] = np.where(candidates["is_chosen"], stability, None)
    candidates["warning"] = np.where(
        candidates["is_chosen"], _quality_warning(chosen["silhouette"], stability, cfg), None
    )
    candidates["training_rows"] = len(x_fit)
    candidates["silhouette_sample_rows"] = np.where(
        candidates["algorithm"] == "dbscan", density_rows, len(sil_rows)
    )
    candidates["hyperparameters"] = _hyperparameters(cfg, dbscan_eps=round(eps, 4))
    return candidates


@threadpool_limits.wrap(limits=1)
def assign_clusters(
    features: pd.DataFrame, outliers: pd.DataFrame, candidates: pd.DataFrame, config: dict
) -> pd.DataFrame:
    """Refit the chosen candidate on the fitting sample (``fitting_sample``, the rows
    evaluate_candidates fitted on), assign every customer (outliers go to the nearest
    cluster, flagged), number clusters 1..k by mean monetary value (highest first),
    and add 2-D PCA coordinates fitted on the same sample."""
    cfg = settings(config)
    features = _sorted(features)
    chosen = candidates[candidates["is_chosen"]].iloc[0]
    if chosen["algorithm"] == SKIPPED:
        return pd.DataFrame(
            {
                "customer_id": features["customer_id"].astype("str"),
                "cluster_id": np.ones(len(features), dtype="int64"),
                "is_outlier_assigned": _outlier_mask(features, outliers).astype(bool),
                "pca_x": np.zeros(len(features)),
                "pca_y": np.zeros(len(features)),
                "algorithm": pd.Series([SKIPPED] * len(features), dtype="str"),
            }
        )
    x_all, is_outlier, x_fit, _ = fitting_sample(features, outliers, cfg)
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


# Persona rules, tried in order; the first that holds names the cluster. Each reads the
# cluster's mean z-differences (standardised model inputs) and its mean orders.
PERSONA_RULES: list[tuple[str, str, object]] = [
    (
        "Window shoppers",
        "under 0.5 orders on average: they browse, rarely buy",
        lambda z, orders: orders < 0.5,
    ),
    (
        "High-value loyalists",
        "monetary > +0.8 and orders > +0.5",
        lambda z, orders: z["monetary_value"] > 0.8 and z["orders_count"] > 0.5,
    ),
    ("Deal seekers", "discount share > +0.8", lambda z, orders: z["discount_share"] > 0.8),
    (
        "Lapsed one-timers",
        "at most 1.5 orders on average and recency > +0.5",
        lambda z, orders: orders <= 1.5 and z["recency_days"] > 0.5,
    ),
    (
        "Window shoppers",
        "views > +0.5 and orders < -0.3",
        lambda z, orders: z["views_90d"] > 0.5 and z["orders_count"] < -0.3,
    ),
    (
        "Regulars",
        "recency < -0.3 and orders > 0",
        lambda z, orders: z["recency_days"] < -0.3 and z["orders_count"] > 0,
    ),
]
FALLBACK_PERSONA = "Occasional buyers"
PERSONAS = sorted({name for name, _, _ in PERSONA_RULES} | {FALLBACK_PERSONA})
PERSONA_INPUTS = ("monetary_value", "orders_count", "discount_share", "recency_days", "views_90d")


def persona_for(z: pd.Series, mean_orders: float) -> str:
    """The name of the first rule in PERSONA_RULES that holds, else FALLBACK_PERSONA."""
    for name, _, holds in PERSONA_RULES:
        if holds(z, mean_orders):
            return name
    return FALLBACK_PERSONA


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


def profile_clusters(features: pd.DataFrame, clusters: pd.DataFrame, config: dict) -> pd.DataFrame:
    """One row per cluster: size, share, mean and mean z-difference of each model
    input, persona (``persona_for``; a repeated persona gets its cluster number), and
    readable rules from a shallow decision tree predicting the cluster from the raw
    inputs (fitted on a sample; its training accuracy is reported)."""
    cfg = settings(config)
    rng = np.random.default_rng(cfg["random_state"])
    merged = _sorted(features).merge(clusters[["customer_id", "cluster_id"]], on="customer_id")
    if merged.empty:
        return _empty_profiles(cfg)
    missing = sorted(set(PERSONA_INPUTS) - set(cfg["features"]))
    if missing:
        raise _setting_error(f"features must include {', '.join(missing)} (the persona rules read them)")
    inputs = cfg["features"]
    x, _ = model_matrix(merged, cfg)
    z = pd.DataFrame(x, columns=inputs)
    z["cluster_id"] = merged["cluster_id"].to_numpy()
    raw = merged[inputs].astype(float)
    raw["cluster_id"] = merged["cluster_id"].to_numpy()

    rows = sample_positions(len(merged), cfg["fit_sample_size"], rng)
    tree = DecisionTreeClassifier(max_depth=cfg["tree_depth"], random_state=cfg["random_state"])
    tree.fit(raw[inputs].to_numpy()[rows], raw["cluster_id"].to_numpy()[rows])
    accuracy = float(tree.score(raw[inputs].to_numpy()[rows], raw["cluster_id"].to_numpy()[rows]))
    rules = _tree_rules(tree, inputs)

    out = []
    seen: dict[str, int] = {}
    for cluster_id, group in raw.groupby("cluster_id"):
        zdiff = z[z["cluster_id"] == cluster_id][inputs].mean()
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
        for feature in inputs:
            row[f"mean_{feature}"] = round(float(group[feature].mean()), 4)
            row[f"zdiff_{feature}"] = round(float(zdiff[feature]), 4)
        out.append(row)
    return pd.DataFrame(out).astype({"persona": "str", "persona_family": "str", "rules": "str"})
