"""A/B test readouts: per experiment, variant and metric, the comparison with the control.

``results(participants, designs, counts, config)`` takes one row per experiment and
customer (int_experiment_participants_measured: variant, outcome flags and counts), the
planned split (the experiment_designs seed) and the assignment counts per experiment,
and returns, for every variant and metric: size, rate or mean, absolute and relative
lift over the control with confidence intervals, the test and its p-value, the minimum
detectable effect at the observed sizes, and per experiment the sample-ratio-mismatch
check of the observed split against the planned one.

The statistics come from statsmodels and scipy; nothing here writes a distribution:
- rates (conversion, email click): two-proportion z-test (pooled,
  ``proportions_ztest``), Wald interval of the difference and log interval of the
  ratio (``confint_proportions_2indep``); minimum detectable effect from the power of
  the arcsine effect size (``NormalIndPower``, Cohen's h) turned back into a rate;
- means (orders, revenue per customer): Welch's t-test (``ttest_ind(equal_var=False)``)
  and interval of the difference (``CompareMeans.tconfint_diff(usevar='unequal')``);
  the relative interval by the delta method (no library offers one for a ratio of two
  independent means); minimum detectable effect from ``TTestIndPower`` (Cohen's d)
  times the pooled standard deviation;
- split: chi-square goodness of fit of the variant counts against the planned shares.

Customers in several variants and customers whose outcome window has not ended are
left out (and counted). Deterministic: inputs are sorted by key.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.power import NormalIndPower, TTestIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from c360.settings import at_least, checked

# metric -> (column of int_experiment_participants_measured, kind)
METRICS = {
    "conversion": ("has_converted", "rate"),
    "orders": ("orders", "mean"),
    "revenue": ("revenue", "mean"),
    "email_click": ("has_clicked_email", "rate"),
}
SPEC = {
    "outcome_window_days": (int, "days after a customer's assignment whose behaviour is the outcome"),
    "alpha": (float, "significance level of the tests; the intervals are at 1 - alpha"),
    "power": (float, "power at which the minimum detectable effect and sample sizes are computed"),
    "srm_alpha": (float, "p-value of the split check below which the split is a sample-ratio mismatch"),
    "min_customers_per_variant": (int, "fewer customers in the variant or its control: no test, a warning"),
    "planning_baseline_rates": ((list, float), "baseline conversion rates of the sample-size table"),
    "planning_relative_lifts": ((list, float), "relative lifts of the sample-size table"),
}
COLUMNS = [
    "result_id",
    "experiment_id",
    "variant",
    "metric",
    "metric_kind",
    "is_control",
    "control_variant",
    "design_source",
    "planned_share",
    "observed_share",
    "customers",
    "mean_value",
    "control_mean_value",
    "absolute_lift",
    "absolute_lift_low",
    "absolute_lift_high",
    "relative_lift",
    "relative_lift_low",
    "relative_lift_high",
    "test_name",
    "statistic",
    "p_value",
    "is_significant",
    "minimum_detectable_effect",
    "srm_chi_square",
    "srm_p_value",
    "is_sample_ratio_mismatch",
    "assignments",
    "assignments_unresolved",
    "customers_in_several_variants",
    "customers_window_incomplete",
    "alpha",
    "outcome_window_days",
    "warning",
]

TEXT_COLUMNS = {
    "result_id",
    "experiment_id",
    "variant",
    "metric",
    "metric_kind",
    "control_variant",
    "design_source",
    "test_name",
    "warning",
}
FLAG_COLUMNS = {"is_control", "is_significant", "is_sample_ratio_mismatch"}
COUNT_COLUMNS = {
    "customers",
    "assignments",
    "assignments_unresolved",
    "customers_in_several_variants",
    "customers_window_incomplete",
    "outcome_window_days",
}


def settings(config: dict | None) -> dict:
    """The ``experiments`` var, checked (c360.settings)."""
    out = checked(config, SPEC, "experiments")
    at_least(out, ("outcome_window_days",), 1, "experiments")
    at_least(out, ("min_customers_per_variant",), 2, "experiments")
    for key in ("alpha", "power", "srm_alpha"):
        if not 0 < out[key] < 1:
            raise ValueError(f"experiments settings: {key} must be between 0 and 1, not {out[key]}")
    for key in ("planning_baseline_rates", "planning_relative_lifts"):
        if not all(value > 0 for value in out[key]):
            raise ValueError(f"experiments settings: every value of {key} must be positive")
    if not all(rate < 1 for rate in out["planning_baseline_rates"]):
        raise ValueError("experiments settings: planning_baseline_rates must be below 1")
    return out


def _finite(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _solved(value) -> float:
    """statsmodels' solve_power returns a one-element array instead of a float when
    its root finder falls back to fsolve (for example 128 against 150 customers)."""
    return float(np.asarray(value).reshape(-1)[0])


def two_proportions(x_t: int, n_t: int, x_c: int, n_c: int, alpha: float, power: float) -> dict:
    """Treatment x_t of n_t against control x_c of n_c."""
    p_t, p_c = x_t / n_t, x_c / n_c
    out = {"test_name": "two_proportion_z", "absolute_lift": p_t - p_c}
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic, p_value = proportions_ztest([x_t, x_c], [n_t, n_c])
    out["statistic"], out["p_value"] = _finite(statistic), _finite(p_value)
    low, high = confint_proportions_2indep(x_t, n_t, x_c, n_c, method="wald", compare="diff", alpha=alpha)
    out["absolute_lift_low"], out["absolute_lift_high"] = _finite(low), _finite(high)
    if x_c > 0:
        out["relative_lift"] = p_t / p_c - 1
        if x_t > 0:
            low, high = confint_proportions_2indep(
                x_t, n_t, x_c, n_c, method="log", compare="ratio", alpha=alpha
            )
            out["relative_lift_low"], out["relative_lift_high"] = _finite(low) - 1, _finite(high) - 1
    h = _solved(
        NormalIndPower().solve_power(effect_size=None, nobs1=n_t, alpha=alpha, power=power, ratio=n_c / n_t)
    )
    # the rate whose arcsine distance from the control's is h (the inverse of proportion_effectsize)
    target = math.sin(min(math.asin(math.sqrt(p_c)) + h / 2, math.pi / 2)) ** 2
    out["minimum_detectable_effect"] = target - p_c
    return out


def welch(treatment: np.ndarray, control: np.ndarray, alpha: float, power: float) -> dict:
    """Mean of treatment against mean of control, unequal variances."""
    m_t, m_c = float(treatment.mean()), float(control.mean())
    out = {"test_name": "welch_t", "absolute_lift": m_t - m_c}
    v_t, v_c = treatment.var(ddof=1), control.var(ddof=1)
    if v_t + v_c == 0:
        return out
    statistic, p_value = stats.ttest_ind(treatment, control, equal_var=False)
    out["statistic"], out["p_value"] = _finite(statistic), _finite(p_value)
    low, high = CompareMeans(DescrStatsW(treatment), DescrStatsW(control)).tconfint_diff(
        alpha=alpha, usevar="unequal"
    )
    out["absolute_lift_low"], out["absolute_lift_high"] = _finite(low), _finite(high)
    n_t, n_c = len(treatment), len(control)
    if m_c != 0:
        ratio = m_t / m_c
        # delta method for the ratio of two independent means
        se = math.sqrt(v_t / n_t / m_c**2 + m_t**2 * v_c / n_c / m_c**4)
        z = stats.norm.ppf(1 - alpha / 2)
        out["relative_lift"] = ratio - 1
        out["relative_lift_low"], out["relative_lift_high"] = ratio - 1 - z * se, ratio - 1 + z * se
    d = _solved(
        TTestIndPower().solve_power(effect_size=None, nobs1=n_t, alpha=alpha, power=power, ratio=n_c / n_t)
    )
    pooled = math.sqrt(((n_t - 1) * v_t + (n_c - 1) * v_c) / (n_t + n_c - 2))
    out["minimum_detectable_effect"] = d * pooled
    return out


def sample_ratio(observed: list[int], planned: list[float]) -> tuple[float, float]:
    """Chi-square goodness of fit of the observed counts against the planned shares."""
    total = sum(observed)
    expected = np.asarray(planned, dtype=float) / sum(planned) * total
    statistic, p_value = stats.chisquare(np.asarray(observed, dtype=float), expected)
    return float(statistic), float(p_value)


def sample_size(baseline: float, relative_lift: float, alpha: float, power: float, ratio: float = 1.0) -> int:
    """Customers needed in the treatment (the control gets ``ratio`` times as many) to
    detect a rate moving from ``baseline`` to ``baseline * (1 + relative_lift)`` with a
    two-sided two-proportion test (arcsine effect size, normal approximation)."""
    target = baseline * (1 + relative_lift)
    if not 0 < baseline < 1 or not 0 < target < 1:
        raise ValueError(f"rates must be between 0 and 1: baseline {baseline}, with the lift {target}")
    h = proportion_effectsize(target, baseline)
    n = NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power, ratio=ratio)
    return int(math.ceil(n))


def sample_sizes(config: dict) -> pd.DataFrame:
    """The planning table: customers per variant for each baseline and relative lift."""
    s = settings(config)
    rows = []
    for baseline in sorted(s["planning_baseline_rates"]):
        for lift in sorted(s["planning_relative_lifts"]):
            ok = baseline * (1 + lift) < 1
            n = sample_size(baseline, lift, s["alpha"], s["power"]) if ok else None
            rows.append(
                {
                    "plan_id": f"{baseline:g}:{lift:g}",
                    "baseline_rate": baseline,
                    "relative_lift": lift,
                    "target_rate": baseline * (1 + lift),
                    "alpha": s["alpha"],
                    "power": s["power"],
                    "customers_per_variant": n,
                    "customers_in_two_variants": None if n is None else 2 * n,
                }
            )
    return pd.DataFrame(rows).astype({"customers_per_variant": "Int64", "customers_in_two_variants": "Int64"})


def assignment_counts(assignments: pd.DataFrame) -> pd.DataFrame:
    """Per experiment: clean assignments, and those naming no known customer."""
    grouped = assignments.groupby("experiment_id", sort=True)["customer_id"]
    return pd.DataFrame(
        {"assignments": grouped.size(), "assignments_unresolved": grouped.size() - grouped.count()}
    ).reset_index()


def _designs_for(experiment: str, variants: list[str], designs: pd.DataFrame) -> tuple[dict, str, str]:
    """Planned shares by variant, the control, and where they come from."""
    rows = designs[designs["experiment_id"] == experiment]
    if len(rows):
        shares = dict(zip(rows["variant"], rows["planned_share"].astype(float)))
        control = rows.loc[rows["is_control"].astype(bool), "variant"].iloc[0]
        return shares, control, "experiment_designs"
    control = "control" if "control" in variants else variants[0]
    return {v: 1 / len(variants) for v in variants}, control, "assumed_equal_split"


def results(
    participants: pd.DataFrame, designs: pd.DataFrame, counts: pd.DataFrame, config: dict
) -> pd.DataFrame:
    s = settings(config)
    alpha, power = s["alpha"], s["power"]
    participants = participants.sort_values(["experiment_id", "customer_id"], kind="stable")
    designs = designs.assign(variant=designs["variant"].str.lower()).sort_values(["experiment_id", "variant"])
    counts = counts.set_index("experiment_id")
    rows: list[dict] = []
    for experiment, people in participants.groupby("experiment_id", sort=True):
        several = int(people["is_in_several_variants"].sum())
        complete = people[~people["is_in_several_variants"] & people["is_outcome_complete"].astype(bool)]
        incomplete = int(
            (~people["is_in_several_variants"] & ~people["is_outcome_complete"].astype(bool)).sum()
        )
        assigned = people[~people["is_in_several_variants"]]
        variants = sorted(set(assigned["variant"].dropna()))
        if not variants:
            continue
        shares, control, source = _designs_for(experiment, variants, designs)
        warnings = []
        unknown = [v for v in variants if v not in shares]
        if unknown:
            warnings.append(f"variant(s) {', '.join(unknown)} not in the experiment's design")
        designed = sorted(shares)
        observed = [int((assigned["variant"] == v).sum()) for v in designed]
        srm = sample_ratio(observed, [shares[v] for v in designed]) if sum(observed) else (None, None)
        is_srm = srm[1] is not None and srm[1] < s["srm_alpha"]
        if is_srm:
            warnings.append(
                f"sample-ratio mismatch (p = {srm[1]:.2g}): the split differs from the plan; do not trust the lifts"
            )
        if source == "assumed_equal_split":
            warnings.append("no design in experiment_designs: an equal split and the control assumed")
        base = {
            "experiment_id": experiment,
            "control_variant": control,
            "design_source": source,
            "srm_chi_square": srm[0],
            "srm_p_value": srm[1],
            "is_sample_ratio_mismatch": is_srm,
            "assignments": int(counts["assignments"].get(experiment, 0)),
            "assignments_unresolved": int(counts["assignments_unresolved"].get(experiment, 0)),
            "customers_in_several_variants": several,
            "customers_window_incomplete": incomplete,
            "alpha": alpha,
            "outcome_window_days": s["outcome_window_days"],
        }
        control_rows = complete[complete["variant"] == control]
        for variant in sorted(set(variants) | {control}):
            group = complete[complete["variant"] == variant]
            for metric, (column, kind) in METRICS.items():
                values = group[column].astype(float).to_numpy()
                reference = control_rows[column].astype(float).to_numpy()
                row = {
                    **base,
                    "result_id": f"{experiment}:{variant}:{metric}",
                    "variant": variant,
                    "metric": metric,
                    "metric_kind": kind,
                    "is_control": variant == control,
                    "planned_share": shares.get(variant),
                    "observed_share": (int((assigned["variant"] == variant).sum()) / len(assigned)),
                    "customers": len(values),
                    "mean_value": float(values.mean()) if len(values) else None,
                    "control_mean_value": float(reference.mean()) if len(reference) else None,
                }
                notes = list(warnings)
                small = min(len(values), len(reference)) < s["min_customers_per_variant"]
                if variant != control and small:
                    notes.append(
                        f"fewer than {s['min_customers_per_variant']} customers with a complete window"
                        " in the variant or the control: not tested"
                    )
                elif variant != control:
                    if kind == "rate":
                        row |= two_proportions(
                            int(values.sum()), len(values), int(reference.sum()), len(reference), alpha, power
                        )
                    else:
                        row |= welch(values, reference, alpha, power)
                    if row.get("p_value") is not None:
                        row["is_significant"] = row["p_value"] < alpha
                row["warning"] = "; ".join(notes) or None
                rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in COLUMNS:
        if column in TEXT_COLUMNS:
            frame[column] = frame[column].astype("string")
        elif column in FLAG_COLUMNS:
            frame[column] = frame[column].astype("boolean")
        elif column in COUNT_COLUMNS:
            frame[column] = frame[column].astype("Int64")
        else:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame.sort_values("result_id", kind="stable").reset_index(drop=True)


def main(argv: list[str] | None = None) -> None:
    """``python -m c360.experiments plan --baseline 0.05 --relative-lift 0.1``: customers
    per variant for a two-variant test of a conversion rate."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m c360.experiments", description=main.__doc__)
    parser.add_argument("command", choices=["plan"])
    parser.add_argument(
        "--baseline", type=float, required=True, help="the control's conversion rate, e.g. 0.05"
    )
    parser.add_argument(
        "--relative-lift", type=float, required=True, help="the lift to detect, e.g. 0.1 for +10%%"
    )
    parser.add_argument("--alpha", type=float, default=0.05, help="two-sided significance level")
    parser.add_argument("--power", type=float, default=0.8, help="power")
    parser.add_argument("--ratio", type=float, default=1.0, help="control size / treatment size")
    args = parser.parse_args(argv)
    for name in ("alpha", "power"):
        if not 0 < getattr(args, name) < 1:
            parser.error(f"--{name} must be between 0 and 1")
    if args.ratio <= 0:
        parser.error("--ratio must be positive")
    try:
        n = sample_size(args.baseline, args.relative_lift, args.alpha, args.power, args.ratio)
    except ValueError as error:
        parser.error(str(error))
    control = math.ceil(n * args.ratio)
    print(
        f"{args.baseline:g} -> {args.baseline * (1 + args.relative_lift):g} (alpha {args.alpha:g}, power"
        f" {args.power:g}): {n:,} customers in the treatment, {control:,} in the control, {n + control:,} in all"
    )


if __name__ == "__main__":
    main()
