"""c360.experiments: the statistics against published values, the readout's rules, and
the experiment marts of the test warehouse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dbt_runner import PROJECT_DIR

from c360 import experiments as X

CONFIG = {
    "outcome_window_days": 28,
    "alpha": 0.05,
    "power": 0.8,
    "srm_alpha": 0.001,
    "min_customers_per_variant": 30,
    "planning_baseline_rates": [0.1],
    "planning_relative_lifts": [0.2],
}

# R's `sleep` data (Cushny and Peebles): extra hours of sleep under two drugs.
# t.test(extra ~ group, data = sleep) (Welch): t = -1.8608, df = 17.776,
# p-value = 0.07939, 95 percent interval -3.3654832 0.2054832.
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_welch_matches_the_published_sleep_example():
    out = X.welch(SLEEP_1, SLEEP_2, alpha=0.05, power=0.8)
    assert out["test_name"] == "welch_t"
    assert out["statistic"] == pytest.approx(-1.8608, abs=1e-4)
    assert out["p_value"] == pytest.approx(0.07939, abs=1e-5)
    assert out["absolute_lift_low"] == pytest.approx(-3.3654832, abs=1e-6)
    assert out["absolute_lift_high"] == pytest.approx(0.2054832, abs=1e-6)
    assert out["absolute_lift"] == pytest.approx(0.75 - 2.33)


def test_two_proportions_match_the_chi_square_of_a_two_by_two_table():
    """prop.test(c(15, 25), c(50, 50), correct = FALSE) in R: X-squared = 4.1667
    (z = its square root), p-value = 0.04123; the Wald interval of the difference is
    -0.2 -/+ 1.959964 * sqrt(0.3 * 0.7 / 50 + 0.5 * 0.5 / 50)."""
    out = X.two_proportions(15, 50, 25, 50, alpha=0.05, power=0.8)
    assert out["statistic"] == pytest.approx(-(4.1667**0.5), abs=1e-4)
    assert out["p_value"] == pytest.approx(0.04123, abs=1e-5)
    half = 1.959964 * (0.3 * 0.7 / 50 + 0.5 * 0.5 / 50) ** 0.5
    assert out["absolute_lift_low"] == pytest.approx(-0.2 - half, abs=1e-5)
    assert out["absolute_lift_high"] == pytest.approx(-0.2 + half, abs=1e-5)
    assert out["relative_lift"] == pytest.approx(0.3 / 0.5 - 1)
    assert out["relative_lift_low"] < out["relative_lift"] < out["relative_lift_high"]


def test_sample_size_and_minimum_detectable_effect_agree():
    """10% to 12%, alpha 0.05, power 0.8: Cohen's arcsine h = 0.063982 and
    2 * ((1.959964 + 0.841621) / h) ** 2 = 3,834.6 per group; the test at that size can
    detect exactly that lift."""
    n = X.sample_size(0.10, 0.2, alpha=0.05, power=0.8)
    assert n == 3835
    out = X.two_proportions(int(0.1 * n), n, int(0.1 * n), n, alpha=0.05, power=0.8)
    assert out["minimum_detectable_effect"] == pytest.approx(0.02, abs=2e-4)
    with pytest.raises(ValueError, match="between 0 and 1"):
        X.sample_size(0.8, 0.5, alpha=0.05, power=0.8)


def test_minimum_detectable_effect_is_a_number_for_any_group_sizes():
    """For 128 against 150 customers statsmodels' power solver answers with a
    one-element array, which broke the results frame; the MDE must be a float and
    lie between its neighbours' (same spread: the effect shrinks as groups grow)."""
    rng = np.random.default_rng(3)
    sizes = [(127, 150), (128, 150), (129, 150)]
    control = rng.normal(10, 2, 150)
    treatment = rng.normal(10, 2, 129)
    mdes = [X.welch(treatment[:n_t], control[:n_c], 0.05, 0.8) for n_t, n_c in sizes]
    values = [out["minimum_detectable_effect"] for out in mdes]
    assert all(type(value) is float for value in values), values
    assert values[0] > values[1] * 0.98 and values[1] > values[2] * 0.98, values
    rates = X.two_proportions(20, 128, 25, 150, 0.05, 0.8)
    assert type(rates["minimum_detectable_effect"]) is float


def test_sample_ratio_check_matches_the_chi_square_formula():
    """166 against 108 planned 50/50: expected 137 each, chi-square 2 * 29^2 / 137 =
    12.277, p = erfc(sqrt(12.277 / 2)) = 0.000459."""
    statistic, p_value = X.sample_ratio([166, 108], [0.5, 0.5])
    assert statistic == pytest.approx(2 * 29**2 / 137)
    assert p_value == pytest.approx(0.000459, abs=2e-6)


def _participants(sizes: dict, rates: dict, experiment="E1", seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for variant, n in sizes.items():
        converted = rng.random(n) < rates[variant]
        frames.append(
            pd.DataFrame(
                {
                    "experiment_id": experiment,
                    "customer_id": [f"{experiment}-{variant}-{i}" for i in range(n)],
                    "variant": variant,
                    "is_in_several_variants": False,
                    "is_outcome_complete": True,
                    "has_converted": converted,
                    "orders": converted * rng.integers(1, 3, n),
                    "revenue": converted * rng.gamma(2.0, 30.0, n),
                    "has_clicked_email": rng.random(n) < 0.05,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


DESIGN = pd.DataFrame(
    {
        "experiment_id": ["E1", "E1"],
        "variant": ["control", "treatment"],
        "planned_share": [0.5, 0.5],
        "is_control": [True, False],
    }
)


def _counts(participants: pd.DataFrame) -> pd.DataFrame:
    return X.assignment_counts(participants.assign(customer_id=participants["customer_id"]))


def test_an_effect_is_found_a_broken_split_flagged_and_mixed_customers_left_out():
    people = _participants({"control": 2000, "treatment": 1400}, {"control": 0.2, "treatment": 0.3})
    mixed = people.head(5).assign(
        variant=None, is_in_several_variants=True, customer_id=lambda f: f.customer_id + "x"
    )
    late = people.head(3).assign(is_outcome_complete=False, customer_id=lambda f: f.customer_id + "y")
    frame = X.results(pd.concat([people, mixed, late]), DESIGN, _counts(people), CONFIG)
    conversion = frame[(frame["metric"] == "conversion") & (frame["variant"] == "treatment")].iloc[0]
    assert conversion["test_name"] == "two_proportion_z" and conversion["is_significant"]
    assert conversion["absolute_lift_low"] < 0.1 < conversion["absolute_lift_high"]
    assert conversion["customers"] == 1400
    assert conversion["customers_in_several_variants"] == 5 and conversion["customers_window_incomplete"] == 3
    assert frame["is_sample_ratio_mismatch"].all()
    assert "sample-ratio mismatch" in conversion["warning"]
    revenue = frame[(frame["metric"] == "revenue") & (frame["variant"] == "treatment")].iloc[0]
    assert revenue["test_name"] == "welch_t" and revenue["relative_lift_low"] < revenue["relative_lift"]
    control = frame[frame["is_control"]]
    assert control["p_value"].isna().all() and (control["customers"] == 2000).all()


def test_no_effect_no_mismatch_and_the_same_answer_in_any_order():
    people = _participants({"control": 1500, "treatment": 1500}, {"control": 0.2, "treatment": 0.2}, seed=3)
    frame = X.results(people, DESIGN, _counts(people), CONFIG)
    again = X.results(people.sample(frac=1, random_state=1), DESIGN, _counts(people), CONFIG)
    pd.testing.assert_frame_equal(frame, again)
    assert not frame["is_sample_ratio_mismatch"].any()
    assert frame["warning"].isna().all()


def test_without_a_design_an_equal_split_is_assumed_and_said():
    people = _participants({"a": 300, "control": 300}, {"a": 0.2, "control": 0.2}, experiment="E2")
    frame = X.results(people, DESIGN, _counts(people), CONFIG)
    assert (frame["design_source"] == "assumed_equal_split").all()
    assert (frame["control_variant"] == "control").all()
    assert frame["warning"].str.contains("no design").all()


def test_tiny_and_empty_inputs_give_warnings_not_errors():
    tiny = _participants({"control": 5, "treatment": 4}, {"control": 0.5, "treatment": 0.5})
    frame = X.results(tiny, DESIGN, _counts(tiny), CONFIG)
    treated = frame[frame["variant"] == "treatment"]
    assert treated["p_value"].isna().all() and treated["warning"].str.contains("not tested").all()
    empty = X.results(tiny.head(0), DESIGN, _counts(tiny.head(0)), CONFIG)
    assert empty.empty and list(empty.columns) == X.COLUMNS


def test_settings_reject_bad_values():
    for bad, message in [
        ({"alpha": 1.5}, "alpha must be between 0 and 1"),
        ({"min_customers_per_variant": 1}, "at least 2"),
        ({"planning_baseline_rates": [0.1, 1.2]}, "below 1"),
        ({"extra": 1}, "unknown key"),
    ]:
        with pytest.raises(ValueError, match=message):
            X.settings(CONFIG | bad)


def test_the_test_warehouse_reads_out_every_experiment(warehouse, sample_dir):
    """On the test data: a row per experiment, variant and metric; the split the
    generator broke (two in five of the treatment's assignments lost) is flagged and
    no other; customers assigned two variants are left out and counted; the garbage
    visitor nobody knows is counted as unresolved."""
    from c360_tools.benchmarks import experiments as readout

    rows = warehouse.execute(
        "select experiment_id, bool_or(is_sample_ratio_mismatch), count(*), max(customers_in_several_variants)"
        " from experiment_results group by 1 order by 1"
    ).fetchall()
    assert [r[0] for r in rows] == ["EXP-checkout-redesign", "EXP-free-delivery", "EXP-subject-lines"]
    assert {r[0]: r[1] for r in rows} == {
        "EXP-checkout-redesign": False,
        "EXP-free-delivery": True,
        "EXP-subject-lines": False,
    }
    assert all(r[2] == 8 for r in rows) and sum(r[3] for r in rows) > 0
    report = readout.evaluate(warehouse, sample_dir / "_truth")
    assert report["experiments"]["EXP-free-delivery"]["assignments_lost_by_the_generator"] > 0
    planned = warehouse.execute("select count(*) from experiment_sample_sizes").fetchone()[0]
    assert planned == 30
    assert (PROJECT_DIR / "analyses" / "experiment_sample_size_planning.sql").is_file()
