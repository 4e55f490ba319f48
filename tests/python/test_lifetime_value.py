"""Lifetime value against published values and on degenerate inputs."""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pandas as pd
import pytest
from dbt_runner import PREDICTION_SETTINGS

from c360 import lifetime_value as L

CONFIG = PREDICTION_SETTINGS | {"clv_penalizer": 0.0, "clv_holdout_days": 39}


def _cdnow() -> pd.DataFrame:
    """The CDNOW summary (2,357 customers, weeks; shipped with lifetimes), with its
    holdout purchases, as calibration rows of int_customer_btyd_at_cutoffs."""
    path = files("lifetimes") / "datasets" / "cdnow_customers_summary_with_transactions.csv"
    raw = pd.read_csv(path)
    return pd.DataFrame(
        {
            "customer_id": raw["ID"].map(lambda i: f"c{i:05d}"),
            "cutoff_date": pd.Timestamp("1997-09-30"),
            "is_scoring_cutoff": False,
            "btyd_frequency": raw["x"],
            "btyd_recency": raw["t_x"],
            "btyd_t": raw["T"],
            "btyd_monetary_value": raw["zbar"],
            "holdout_purchase_days": 0,  # the file has no holdout counts: parameters only
            "holdout_revenue": 0.0,
        }
    )


def test_bg_nbd_reproduces_the_published_cdnow_estimates():
    """Fader, Hardie and Lee (2005), "Counting your customers the easy way", table 1:
    r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 on the CDNOW sample."""
    report = L.evaluate(_cdnow(), CONFIG)
    params = report[report["metric"] == "parameter"].set_index("feature")["value"]
    assert params["r"] == pytest.approx(0.243, abs=0.001)
    assert params["alpha"] == pytest.approx(4.414, abs=0.005)
    assert params["a"] == pytest.approx(0.793, abs=0.002)
    assert params["b"] == pytest.approx(2.426, abs=0.005)


def test_gamma_gamma_reproduces_the_published_cdnow_estimates():
    """Fader and Hardie, "The Gamma-Gamma model of monetary value" (2013): p = 6.25,
    q = 3.74, v = 15.44 on the CDNOW repeat buyers."""
    report = L.evaluate(_cdnow(), CONFIG)
    params = report[(report["method"] == "gamma_gamma") & (report["metric"] == "parameter")]
    params = params.set_index("feature")["value"]
    assert params["p"] == pytest.approx(6.25, abs=0.01)
    assert params["q"] == pytest.approx(3.74, abs=0.01)
    assert params["v"] == pytest.approx(15.44, abs=0.02)


def test_scores_are_deterministic_and_only_for_buyers():
    frame = _cdnow().assign(is_scoring_cutoff=True)
    scores = L.score(frame.sample(frac=1, random_state=3), CONFIG)
    again = L.score(frame, CONFIG)
    pd.testing.assert_frame_equal(scores, again)
    assert len(scores) == len(frame) and scores["customer_id"].is_unique
    assert scores["probability_alive"].between(0, 1).all()
    assert (scores["expected_purchase_days"] >= 0).all() and (scores["expected_spend"] >= 0).all()
    # more past purchases, recently: more expected purchases
    best = frame.sort_values(["btyd_frequency", "btyd_recency"]).iloc[-1]["customer_id"]
    assert (
        scores.set_index("customer_id").loc[best, "expected_purchase_days"]
        > scores["expected_purchase_days"].median()
    )


@pytest.mark.parametrize("case", ["empty", "one_buyer", "no_repeat_buyer"])
def test_degenerate_inputs_fit_nothing_and_say_why(case):
    frame = _cdnow()
    if case == "empty":
        frame = frame.iloc[0:0]
    elif case == "one_buyer":
        frame = frame.iloc[0:1]
    else:
        frame = frame.assign(btyd_frequency=0, btyd_recency=0, btyd_monetary_value=0.0)
    report = L.evaluate(frame, CONFIG)
    assert list(report["metric"]) == ["skipped"]
    assert report["warning"].iloc[0].startswith("skipped: ")
    scores = L.score(frame.assign(is_scoring_cutoff=True), CONFIG)
    assert len(scores) == len(frame)
    assert scores["expected_purchase_days"].isna().all() and (scores["clv_model_version"] == "skipped").all()
    assert np.isnan(scores["expected_spend"]).all()


def test_the_direct_formula_equals_lifetimes_where_lifetimes_is_defined():
    """Where lifetimes' logarithm works the direct formula gives its value; with a
    small dropout parameter (a + b - 1 < 0) lifetimes gives NaN for customers without
    a repeat purchase and the direct formula a finite, positive expectation."""
    from lifetimes import BetaGeoFitter

    frame = _cdnow()
    model = BetaGeoFitter().fit(frame["btyd_frequency"], frame["btyd_recency"], frame["btyd_t"])
    x, recency, t = (frame[c].to_numpy(float) for c in ("btyd_frequency", "btyd_recency", "btyd_t"))
    library = model.conditional_expected_number_of_purchases_up_to_time(39, x, recency, t)
    assert np.allclose(L.expected_purchases_direct(model.params_, 39, x, recency, t), library, rtol=1e-9)
    small_a = {"r": 0.71, "alpha": 69.3, "a": 0.01, "b": 0.557}
    model.params_ = pd.Series(small_a)
    zero = np.zeros(3)
    t = np.array([10.0, 60.0, 200.0])
    with np.errstate(invalid="ignore"):
        assert np.isnan(model.conditional_expected_number_of_purchases_up_to_time(180, zero, zero, t)).all()
    direct = L.expected_purchases_direct(small_a, 180, zero, zero, t)
    assert np.isfinite(direct).all() and (direct > 0).all()
    # a customer seen longer without a repeat is expected to buy less
    assert direct[0] > direct[1] > direct[2]
