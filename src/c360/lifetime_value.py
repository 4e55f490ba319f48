"""Customer lifetime value: expected purchase days (BG/NBD) and spend per purchase
day (Gamma-Gamma) over the next ``clv_horizon_days``, from the BTYD summaries of
int_customer_btyd_at_cutoffs. Pure functions on pandas frames; the dbt Python models
in models/intermediate/predictions are thin adapters; settings come from the
`predictions` var (c360.predictions.SETTINGS documents the ``clv_*`` keys).

Both models are fitted by maximum likelihood with the ``lifetimes`` package (its
BG/NBD fit reproduces the published CDNOW estimates: tests/python/test_lifetime_value.py).
evaluate() fits them at the calibration cutoff and compares their prediction for the
holdout window (the ``clv_holdout_days`` up to the as-of date) with what the customers
did, per calibration frequency, beside a naive forecast (each customer's calibration
purchase rate carried forward). score() refits on the full history and scores every
customer who has bought.

Deterministic (the fits are deterministic optimisations; rows sorted by customer).
Fewer than ``min_clv_customers`` buyers (repeat buyers for Gamma-Gamma), or a fit
that does not converge: nothing is fitted, the report holds a ``skipped`` row whose
warning says why, and the scores are null.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import ConvergenceError
from scipy.special import hyp2f1

from c360.predictions import SKIPPED, evaluation_frame, iso_dates, settings

TARGET = "clv"
PURCHASES = "bg_nbd"
SPEND = "gamma_gamma"
NAIVE = "naive_rate"
TOP_BUCKET = 7  # calibration frequencies 0..6 each, then 7 and more together


def _summaries(btyd: pd.DataFrame, scoring: bool) -> pd.DataFrame:
    rows = btyd[btyd["is_scoring_cutoff"].astype(bool) == scoring]
    return rows.sort_values("customer_id", kind="mergesort").reset_index(drop=True)


def _fit_purchases(s: pd.DataFrame, cfg: dict) -> tuple[BetaGeoFitter | None, str | None]:
    if len(s) < cfg["min_clv_customers"]:
        return None, f"skipped: {len(s)} buyers, fewer than min_clv_customers ({cfg['min_clv_customers']})"
    if not (s["btyd_frequency"] > 0).any():
        return None, "skipped: no repeat buyer, so no purchase rate to fit"
    model = BetaGeoFitter(penalizer_coef=cfg["clv_penalizer"])
    try:
        model.fit(
            s["btyd_frequency"].to_numpy(float),
            s["btyd_recency"].to_numpy(float),
            s["btyd_t"].to_numpy(float),
        )
    except ConvergenceError as error:
        return None, f"skipped: BG/NBD did not converge ({str(error).strip().splitlines()[0]})"
    return model, None


def _repeat_buyers(s: pd.DataFrame) -> pd.DataFrame:
    return s[(s["btyd_frequency"] > 0) & (s["btyd_monetary_value"] > 0)]


def _fit_spend(s: pd.DataFrame, cfg: dict) -> tuple[GammaGammaFitter | None, str | None]:
    repeat = _repeat_buyers(s)
    if len(repeat) < cfg["min_clv_customers"]:
        return (
            None,
            f"skipped: {len(repeat)} repeat buyers, fewer than min_clv_customers ({cfg['min_clv_customers']})",
        )
    model = GammaGammaFitter(penalizer_coef=cfg["clv_penalizer"])
    try:
        model.fit(repeat["btyd_frequency"].to_numpy(float), repeat["btyd_monetary_value"].to_numpy(float))
    except ConvergenceError as error:
        return None, f"skipped: Gamma-Gamma did not converge ({str(error).strip().splitlines()[0]})"
    return model, None


def _expected_purchases(model: BetaGeoFitter, s: pd.DataFrame, days: int) -> np.ndarray:
    frequency, recency, t = (s[c].to_numpy(float) for c in ("btyd_frequency", "btyd_recency", "btyd_t"))
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.asarray(
            model.conditional_expected_number_of_purchases_up_to_time(days, frequency, recency, t),
            dtype=float,
        )
    gaps = np.isnan(expected)
    if gaps.any():
        expected[gaps] = expected_purchases_direct(
            model.params_, days, frequency[gaps], recency[gaps], t[gaps]
        )
    return expected


def expected_purchases_direct(
    params, days: float, x: np.ndarray, recency: np.ndarray, t: np.ndarray
) -> np.ndarray:
    """BG/NBD conditional expected purchases (Fader, Hardie and Lee 2005, eq. 10),
    computed without a logarithm. lifetimes takes the log of the hypergeometric term,
    which is negative when a + b + x - 1 < 0 (a small dropout parameter a and no
    repeat purchase), and returns NaN there; this is the same formula, used only for
    those customers (tests/python/test_lifetime_value.py checks it equals lifetimes'
    value wherever that one is defined)."""
    r, alpha, a, b = (float(params[k]) for k in ("r", "alpha", "a", "b"))
    c = a + b + x - 1
    z = days / (alpha + t + days)
    ratio = ((alpha + t) / (alpha + t + days)) ** (r + x)
    numerator = (a + b + x - 1) / (a - 1) * (1 - hyp2f1(r + x, b + x, c, z) * ratio)
    denominator = 1 + (x > 0) * (a / np.where(x > 0, b + x - 1, 1.0)) * ((alpha + t) / (alpha + recency)) ** (
        r + x
    )
    return numerator / denominator


def _spend_per_day(model: GammaGammaFitter, s: pd.DataFrame) -> np.ndarray:
    """Expected value of a purchase day: the Gamma-Gamma posterior mean, which is the
    population mean for a customer without a repeat purchase."""
    return np.asarray(
        model.conditional_expected_average_profit(
            s["btyd_frequency"].to_numpy(float), s["btyd_monetary_value"].to_numpy(float)
        ),
        dtype=float,
    )


def _record(cfg: dict, cutoff: str, n: int, **values) -> dict:
    return {
        "target": TARGET,
        "bucket": None,
        "feature": None,
        "is_chosen": values.get("method") in (PURCHASES, SPEND),
        "training_rows": n,
        "validation_rows": n,
        "validation_cutoff": cutoff,
        "hyperparameters": json.dumps(
            {k: cfg[k] for k in ("clv_holdout_days", "clv_penalizer", "min_clv_customers")}
        ),
        "warning": None,
    } | values


def _errors(method: str, metric: str, predicted: np.ndarray, actual: np.ndarray) -> list[tuple]:
    total = float(actual.sum())
    return [
        (method, f"holdout_{metric}_predicted_total", float(predicted.sum())),
        (method, f"holdout_{metric}_actual_total", total),
        (
            method,
            f"holdout_{metric}_error_pct",
            100 * (float(predicted.sum()) - total) / total if total else np.nan,
        ),
        (method, f"holdout_{metric}_mae", float(np.abs(predicted - actual).mean())),
    ]


def evaluate(btyd: pd.DataFrame, config: dict) -> pd.DataFrame:
    """The holdout check: one row per method x metric (x calibration frequency bucket
    or parameter); see the module docstring."""
    cfg = settings(config)
    s = _summaries(btyd, scoring=False)
    cutoff = iso_dates(s["cutoff_date"]).iloc[0] if len(s) else None
    n = len(s)
    purchases, why = _fit_purchases(s, cfg)
    if purchases is None:
        return evaluation_frame(
            [_record(cfg, cutoff, n, method=PURCHASES, metric=SKIPPED, value=np.nan, warning=why)]
        )
    days = cfg["clv_holdout_days"]
    predicted = _expected_purchases(purchases, s, days)
    actual = s["holdout_purchase_days"].to_numpy(float)
    frequency = s["btyd_frequency"].to_numpy(float)
    naive = np.where(s["btyd_t"] > 0, frequency / s["btyd_t"].clip(lower=1).to_numpy(float) * days, 0.0)
    rows = [(PURCHASES, "parameter", np.nan, name, float(v)) for name, v in purchases.params_.items()]
    rows += [
        (m, metric, np.nan, None, v)
        for m, metric, v in _errors(PURCHASES, "purchase_days", predicted, actual)
    ]
    rows += [(m, metric, np.nan, None, v) for m, metric, v in _errors(NAIVE, "purchase_days", naive, actual)]
    bucket = np.minimum(frequency, TOP_BUCKET).astype(int)
    for b in range(TOP_BUCKET + 1):
        inside = bucket == b
        if inside.any():
            rows += [
                (PURCHASES, "bucket_customers", b, None, float(inside.sum())),
                (PURCHASES, "bucket_mean_predicted_purchase_days", b, None, float(predicted[inside].mean())),
                (PURCHASES, "bucket_mean_actual_purchase_days", b, None, float(actual[inside].mean())),
                (NAIVE, "bucket_mean_predicted_purchase_days", b, None, float(naive[inside].mean())),
            ]
    records = [
        _record(
            cfg,
            cutoff,
            n,
            method=m,
            metric=metric,
            bucket=None if np.isnan(b) else int(b),
            feature=f,
            value=v,
        )
        for m, metric, b, f, v in rows
    ]
    spend, why = _fit_spend(s, cfg)
    if spend is None:
        records.append(_record(cfg, cutoff, n, method=SPEND, metric=SKIPPED, value=np.nan, warning=why))
        return evaluation_frame(records)
    per_day = _spend_per_day(spend, s)
    actual_spend = s["holdout_revenue"].to_numpy(float)
    repeat = _repeat_buyers(s)
    mean_value = s["btyd_monetary_value"].where(s["btyd_frequency"] > 0).to_numpy(float)
    naive_spend = naive * np.where(
        np.isnan(mean_value), float(repeat["btyd_monetary_value"].mean()), mean_value
    )
    rows = [(SPEND, "parameter", None, name, float(v)) for name, v in spend.params_.items()]
    rows += [
        (m, metric, None, None, v)
        for m, metric, v in _errors(SPEND, "spend", predicted * per_day, actual_spend)
    ]
    rows += [
        (m, metric, None, None, v) for m, metric, v in _errors(NAIVE, "spend", naive_spend, actual_spend)
    ]
    # Gamma-Gamma assumes a customer's spend per purchase does not depend on how often they buy
    correlation = float(np.corrcoef(repeat["btyd_frequency"], repeat["btyd_monetary_value"])[0, 1])
    rows.append((SPEND, "frequency_monetary_correlation", None, None, correlation))
    records += [
        _record(cfg, cutoff, n, method=m, metric=metric, feature=f, value=v) for m, metric, _, f, v in rows
    ]
    return evaluation_frame(records)


def model_version(params: dict, cfg: dict) -> str:
    text = json.dumps([params, cfg["clv_penalizer"]], sort_keys=True)
    return f"clv-{hashlib.md5(text.encode()).hexdigest()[:12]}"


def score(btyd: pd.DataFrame, config: dict) -> pd.DataFrame:
    """One row per customer who bought before the scoring cutoff: the probability of
    being still active, expected purchase days and spend over ``clv_horizon_days``
    (null where the model was not fitted), and the fitted models' version."""
    cfg = settings(config)
    s = _summaries(btyd, scoring=True)
    n = len(s)
    out = pd.DataFrame({"customer_id": s["customer_id"].astype("str")})
    alive, purchases_expected, spend_expected = (np.full(n, np.nan) for _ in range(3))
    version = SKIPPED
    purchases, _ = _fit_purchases(s, cfg)
    if purchases is not None:
        frequency, recency, t = (s[c].to_numpy(float) for c in ("btyd_frequency", "btyd_recency", "btyd_t"))
        alive = np.asarray(purchases.conditional_probability_alive(frequency, recency, t), dtype=float)
        purchases_expected = _expected_purchases(purchases, s, cfg["clv_horizon_days"])
        params = {k: round(float(v), 10) for k, v in purchases.params_.items()}
        spend, _ = _fit_spend(s, cfg)
        if spend is not None:
            spend_expected = purchases_expected * _spend_per_day(spend, s)
            params |= {k: round(float(v), 10) for k, v in spend.params_.items()}
        version = model_version(params, cfg)
    out["probability_alive"] = alive
    out["expected_purchase_days"] = purchases_expected
    out["expected_spend"] = spend_expected
    out["clv_model_version"] = pd.Series([version] * n, dtype="str")
    return out
