"""Prediction package on synthetic frames with a planted signal: the report's shape,
the baseline comparison, determinism and the degenerate inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dbt_runner import PREDICTION_SETTINGS

from c360 import predictions as P

# the project's settings (the predictions var), with a smaller grid and fewer
# iterations for speed
CONFIG = PREDICTION_SETTINGS | {
    "gbm_learning_rates": [0.1],
    "gbm_max_leaf_nodes": [7, 15],
    "gbm_max_iter": 50,
    "importance_sample_size": 500,
    "importance_repeats": 2,
}
FEATURES = CONFIG["features"]
CUTOFFS = ["2026-04-01", "2026-05-01", "2026-06-01", "2026-07-01"]
SCORING = "2026-10-01"


def _frames(n=600, seed=0, buy_rate=None):
    """Customers at four training cutoffs and the scoring cutoff. The chance of a
    purchase falls with the days since the last purchase and rises with recent
    sessions (a planted signal); churn is its complement over a longer window."""
    rng = np.random.default_rng(seed)
    rows, outcomes = [], []
    for cutoff in [*CUTOFFS, SCORING]:
        recency = np.where(rng.random(n) < 0.25, np.nan, rng.exponential(60, n) + 1)
        sessions = rng.poisson(2, n)
        frame = pd.DataFrame({name: rng.poisson(3, n).astype(float) for name in FEATURES})
        frame["days_since_last_purchase"] = recency
        frame["sessions_30d"] = sessions.astype(float)
        frame["purchase_days_total"] = np.where(np.isnan(recency), 0.0, frame["purchase_days_total"] + 1)
        frame["customer_id"] = [f"c{i:04d}" for i in range(n)]
        frame["cutoff_date"] = pd.Timestamp(cutoff)
        frame["is_scoring_cutoff"] = cutoff == SCORING
        frame["is_validation_cutoff"] = cutoff == CUTOFFS[-1]
        frame["customer_cutoff_id"] = frame["customer_id"] + ":" + cutoff
        rows.append(frame)
        if cutoff == SCORING:
            continue
        logit = 1.0 - 0.04 * np.nan_to_num(recency, nan=200.0) + 0.5 * sessions
        p = 1 / (1 + np.exp(-logit)) if buy_rate is None else np.full(n, buy_rate)
        bought = rng.random(n) < p
        eligible = ~np.isnan(recency)
        outcomes.append(
            pd.DataFrame(
                {
                    "customer_cutoff_id": frame["customer_cutoff_id"],
                    "purchased_within_purchase_horizon": bought,
                    "is_churn_eligible": eligible,
                    "churned_within_churn_horizon": pd.Series(
                        ~(bought | (rng.random(n) < p)), dtype="boolean"
                    ).where(eligible, pd.NA),
                }
            )
        )
    return pd.concat(rows, ignore_index=True), pd.concat(outcomes, ignore_index=True)


@pytest.fixture(scope="module")
def report():
    features, outcomes = _frames()
    return features, outcomes, P.evaluate(features, outcomes, CONFIG)


def _value(evaluations, target, method, metric):
    rows = evaluations[
        (evaluations["target"] == target)
        & (evaluations["method"] == method)
        & (evaluations["metric"] == metric)
        & evaluations["bucket"].isna()
        & evaluations["feature"].isna()
    ]
    assert len(rows) == 1, (target, method, metric)
    return rows["value"].iloc[0]


def test_the_models_find_the_planted_signal_and_beat_the_recency_rule_on_sessions(report):
    _, _, evaluations = report
    for target in ("purchase", "churn"):
        gbm = _value(evaluations, target, "gradient_boosting", "roc_auc")
        rule = _value(evaluations, target, "recency_rule", "roc_auc")
        assert gbm > 0.7, (target, gbm)
        # the rule knows nothing of sessions, which the label depends on
        assert gbm > rule, (target, gbm, rule)
    importance = evaluations[
        (evaluations["metric"] == "permutation_importance_roc_auc") & (evaluations["target"] == "purchase")
    ].set_index("feature")["value"]
    assert set(importance.sort_values().index[-2:]) == {"days_since_last_purchase", "sessions_30d"}


def test_the_report_holds_every_metric_deciles_and_a_reliability_table(report):
    _, _, evaluations = report
    purchase = evaluations[
        (evaluations["target"] == "purchase") & (evaluations["method"] == "gradient_boosting")
    ]
    assert {"roc_auc", "pr_auc", "brier_score", "log_loss", "base_rate", "lift_top_decile"} <= set(
        purchase["metric"]
    )
    assert sorted(purchase.loc[purchase["metric"] == "decile_positive_rate", "bucket"]) == list(range(1, 11))
    rows = purchase.loc[purchase["metric"] == "reliability_rows", "value"].sum()
    assert rows == purchase["validation_rows"].iloc[0]
    # a calibrated model: predicted and observed rates close in the well-filled bins
    table = purchase[purchase["metric"].str.startswith("reliability")].pivot(
        index="bucket", columns="metric", values="value"
    )
    full = table[table["reliability_rows"] >= 30]
    assert (full["reliability_mean_predicted"] - full["reliability_observed_rate"]).abs().max() < 0.15
    # the recency rule is a ranking, not a probability: no Brier score
    rule = evaluations[(evaluations["method"] == "recency_rule")]
    assert "brier_score" not in set(rule["metric"])
    # validation is the latest cutoff; training rows are the earlier ones only
    assert set(evaluations["validation_cutoff"]) == {CUTOFFS[-1]}
    assert (evaluations["training_rows"] <= 3 * 600).all()
    assert evaluations["is_chosen"].any()


def test_a_model_that_does_not_beat_the_baseline_carries_a_warning():
    """Labels drawn with no signal at all: nothing beats everything, and the shipped
    model's rows say so when it loses."""
    features, outcomes = _frames(seed=3, buy_rate=0.3)
    evaluations = P.evaluate(features, outcomes, CONFIG)
    chosen = evaluations[
        (evaluations["method"] == "gradient_boosting") & (evaluations["metric"] == "roc_auc")
    ]
    assert chosen["warning"].notna().any()  # with these seeds, boosting loses at least once
    for _, row in chosen.iterrows():
        logistic = _value(evaluations, row["target"], "logistic_regression", "roc_auc")
        rule = _value(evaluations, row["target"], "recency_rule", "roc_auc")
        beaten = row["value"] <= logistic or row["value"] <= rule
        warned = pd.notna(row["warning"]) and "does not beat" in row["warning"]
        assert warned == beaten, row.to_dict()


def test_same_rows_in_any_order_give_the_same_report_and_scores(report):
    features, outcomes, evaluations = report
    shuffled_features = features.sample(frac=1, random_state=1)
    shuffled_outcomes = outcomes.sample(frac=1, random_state=2)
    again = P.evaluate(shuffled_features, shuffled_outcomes, CONFIG)
    pd.testing.assert_frame_equal(evaluations, again)
    scores = P.score(features, outcomes, evaluations, CONFIG)
    pd.testing.assert_frame_equal(scores, P.score(shuffled_features, shuffled_outcomes, again, CONFIG))


def test_scores_cover_every_customer_and_churn_only_past_buyers(report):
    features, outcomes, evaluations = report
    scores = P.score(features, outcomes, evaluations, CONFIG)
    scoring = features[features["is_scoring_cutoff"]]
    assert len(scores) == len(scoring) and scores["customer_id"].is_unique
    assert scores["purchase_propensity"].between(0, 1).all()
    buyers = set(scoring.loc[scoring["purchase_days_total"] > 0, "customer_id"])
    assert set(scores.loc[scores["churn_probability"].notna(), "customer_id"]) == buyers
    assert scores["purchase_propensity_model_version"].str.startswith("purchase-").all()
    assert set(scores["cutoff_date"]) == {SCORING}


@pytest.mark.parametrize(
    "case",
    ["no_buyers", "one_customer", "empty"],
)
def test_degenerate_inputs_fit_nothing_and_say_why(case):
    if case == "no_buyers":
        features, outcomes = _frames(n=300, buy_rate=0.0)
    elif case == "one_customer":
        features, outcomes = _frames(n=1)
    else:
        features, outcomes = _frames(n=1)
        features, outcomes = features.iloc[0:0], outcomes.iloc[0:0]
    evaluations = P.evaluate(features, outcomes, CONFIG)
    skipped = evaluations[evaluations["metric"] == "skipped"]
    expected = {"purchase"} if case == "no_buyers" else {"purchase", "churn"}
    assert expected <= set(skipped["target"])
    assert skipped["warning"].str.startswith("skipped: ").all()
    scores = P.score(features, outcomes, evaluations, CONFIG)
    assert len(scores) == int(features["is_scoring_cutoff"].sum())
    for target, column in (("purchase", "purchase_propensity"), ("churn", "churn_probability")):
        if target in set(skipped["target"]):
            assert scores[column].isna().all()
            assert (scores[f"{column}_model_version"] == "skipped").all()


def test_settings_reject_unknown_missing_and_wrong_values():
    assert P.settings(CONFIG | {"gbm_max_iter": "80"})["gbm_max_iter"] == 80
    for bad, message in [
        ({"gbm_depth": 3}, "unknown key"),
        ({"gbm_max_iter": None}, "missing key"),
        ({"gbm_learning_rates": []}, "non-empty list of float"),
        ({"gbm_learning_rates": "0.1"}, "non-empty list of float"),
        ({"training_cutoffs": 2}, "at least 3"),
        ({"calibration_folds": 1}, "calibration_folds"),
        ({"features": ["a", "a"]}, "each column once"),
        ({"clv_horizon_days": 0}, "clv_horizon_days must be at least 1"),
        ({"clv_penalizer": -0.1}, "clv_penalizer must not be negative"),
    ]:
        with pytest.raises(ValueError, match=message):
            P.settings(CONFIG | bad)


def test_the_built_warehouse_scores_every_customer_and_reports_every_model(warehouse):
    """On the test warehouse: a prediction row per customer, churn and lifetime value
    for exactly the past buyers, a model_runs row per shipped model, and the benchmark
    report reads model_evaluations."""
    from c360_tools.benchmarks import predictions as report_tool

    customers, rows, churn, clv = warehouse.execute(
        "select (select count(*) from dim_customers), count(*), count(churn_probability),"
        " count(expected_purchase_days) from customer_predictions"
    ).fetchone()
    buyers = warehouse.execute("select count(*) from customer_features where orders_count > 0").fetchone()[0]
    assert rows == customers and churn == buyers and clv == buyers
    runs = warehouse.execute(
        "select algorithm from model_runs where step = 'predictions' order by 1"
    ).fetchall()
    assert [r[0] for r in runs] == [
        "churn:gradient_boosting",
        "clv:bg_nbd",
        "clv:gamma_gamma",
        "purchase:gradient_boosting",
    ]
    report = report_tool.evaluate(warehouse)
    assert set(report["targets"]) == {"purchase", "churn"} and report["clv"]["holdout_by_frequency"]
    text = report_tool.markdown(report)
    assert "| gradient_boosting |" in text and "#### clv" in text


def test_the_truth_agrees_with_the_labels_and_bounds_the_models(warehouse, sample_dir):
    """The generator's true purchase process, scored on the test warehouse's validation
    labels: its mean probability matches the observed rate (the labels the project
    derives are the outcomes the generator planted), no model beats it (a model above
    the truth would be reading the future), and the shipped model learns most of it."""
    from c360_tools.benchmarks import predictions as report_tool

    ceiling = report_tool.ceiling(warehouse, sample_dir / "_truth")
    assert ceiling["rows_with_a_true_person"] >= 0.9 * ceiling["validation_rows"]
    methods = report_tool.evaluate(warehouse)["targets"]
    for target in ("purchase", "churn"):
        entry = ceiling[target]
        assert abs(entry["truth_mean_probability"] - entry["observed_rate"]) < 0.03, (target, entry)
        shipped = methods[target]["methods"]["gradient_boosting"]["roc_auc"]
        assert shipped <= entry["truth_roc_auc"] + 0.01, (target, shipped, entry)
        assert entry["truth_roc_auc"] - shipped < 0.06, (target, shipped, entry)


def test_an_input_with_no_value_at_all_is_left_out_of_the_fit():
    """A source that is absent (no web events: every session recency missing) must not
    stop the fit: gradient boosting cannot bin an all-missing column."""
    features, outcomes = _frames(n=300, seed=5)
    features["days_since_last_session"] = np.nan
    evaluations = P.evaluate(features, outcomes, CONFIG)
    assert not (evaluations["metric"] == "skipped").any()
    importance = evaluations[evaluations["metric"] == "permutation_importance_roc_auc"]
    assert (importance.loc[importance["feature"] == "days_since_last_session", "value"] == 0).all()
    assert P.score(features, outcomes, evaluations, CONFIG)["purchase_propensity"].notna().all()
