"""The experiment readout against the generator's truth.

experiment_results of a built warehouse, per experiment: the conversion and orders
lifts with their intervals beside the true effect the generator planted, and the
split check beside whether the generator lost assignments. The true effect is the
average over the people assigned to the variant (and exported) of what the uplift
changed for them: for conversion, exp(-rate x d) - exp(-(rate + uplift) x d), for
orders uplift x d, where d is the person's active days in the effect window and rate
their revenue purchase rate (``_truth/purchase_rates``,
``_truth/experiment_assignments``).

``python -m c360_tools.benchmarks experiments --db WAREHOUSE --truth DIR``
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from .predictions import _truth_table


def _number(value, digits: int = 4):
    return None if value is None or value != value else round(float(value), digits)


def evaluate(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    assignments = _truth_table(truth_dir, "experiment_assignments")
    rates = _truth_table(truth_dir, "purchase_rates")
    truth = con.execute(f"""
        with people as (
            select
                a.experiment_id,
                a.variant,
                a.is_exported = 'True' as is_exported,
                cast(a.revenue_uplift_per_day as double) as uplift,
                cast(r.revenue_rate_per_day as double) as rate,
                greatest(
                    0,
                    epoch(least(
                        cast(a.assigned_at as timestamp) + to_days(cast(a.effect_days as integer)),
                        cast(r.active_until as timestamp)
                    )) - epoch(cast(a.assigned_at as timestamp))
                ) / 86400 as active_days
            from {assignments} as a
            inner join {rates} as r using (person_id)
        )
        select
            experiment_id,
            variant,
            count(*) as assigned,
            count(*) filter (where is_exported) as exported,
            avg(exp(-rate * active_days) - exp(-(rate + uplift) * active_days)) filter (where is_exported)
                as true_conversion_lift,
            avg(uplift * active_days) filter (where is_exported) as true_orders_lift
        from people
        group by 1, 2
        order by 1, 2
    """).df()
    results = con.execute(
        "select experiment_id, variant, metric, is_control, customers, mean_value, absolute_lift,"
        " absolute_lift_low, absolute_lift_high, p_value, is_significant, minimum_detectable_effect,"
        " srm_p_value, is_sample_ratio_mismatch, customers_in_several_variants, warning"
        " from experiment_results where metric in ('conversion', 'orders') order by experiment_id, variant, metric"
    ).df()
    report: dict = {"experiments": {}}
    for experiment, rows in results.groupby("experiment_id", sort=True):
        planted = truth[truth["experiment_id"] == experiment]
        lost = int((planted["assigned"] - planted["exported"]).sum())
        entry = {
            "srm_p_value": _number(rows["srm_p_value"].iloc[0], 6),
            "is_sample_ratio_mismatch": bool(rows["is_sample_ratio_mismatch"].iloc[0]),
            "assignments_lost_by_the_generator": lost,
            "customers_in_several_variants": int(rows["customers_in_several_variants"].iloc[0]),
            "variants": [],
        }
        for _, row in rows[~rows["is_control"].astype(bool)].iterrows():
            true = planted[planted["variant"] == row["variant"]]
            key = "true_conversion_lift" if row["metric"] == "conversion" else "true_orders_lift"
            value = _number(true[key].iloc[0]) if len(true) else None
            low, high = row["absolute_lift_low"], row["absolute_lift_high"]
            entry["variants"].append(
                {
                    "variant": row["variant"],
                    "metric": row["metric"],
                    "customers": int(row["customers"]),
                    "true_lift": value,
                    "estimated_lift": _number(row["absolute_lift"]),
                    "interval": [_number(low), _number(high)],
                    "truth_inside_interval": None if value is None else bool(low <= value <= high),
                    "p_value": _number(row["p_value"], 6),
                    "minimum_detectable_effect": _number(row["minimum_detectable_effect"]),
                }
            )
        report["experiments"][experiment] = entry
    return report


def _p(value) -> str:
    return "< 1e-6" if value is not None and value < 1e-6 else f"{value:.3g}"


def markdown(report: dict) -> str:
    lines = [
        "| experiment | variant | metric | customers | true lift | estimated lift | interval | truth inside"
        " | p-value | minimum detectable |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for experiment, entry in report["experiments"].items():
        for v in entry["variants"]:
            low, high = v["interval"]
            lines.append(
                f"| {experiment} | {v['variant']} | {v['metric']} | {v['customers']:,} | {v['true_lift']:+.4f} |"
                f" {v['estimated_lift']:+.4f} | {low:+.4f} to {high:+.4f} | {'yes' if v['truth_inside_interval'] else 'NO'}"
                f" | {_p(v['p_value'])} | {v['minimum_detectable_effect']:.4f} |"
            )
    lines += [
        "",
        "| experiment | split check p-value | flagged | assignments the generator lost | customers in several variants |",
    ]
    lines.append("|---|---|---|---|---|")
    for experiment, entry in report["experiments"].items():
        lines.append(
            f"| {experiment} | {_p(entry['srm_p_value'])} | {'yes' if entry['is_sample_ratio_mismatch'] else 'no'} |"
            f" {entry['assignments_lost_by_the_generator']:,} | {entry['customers_in_several_variants']:,} |"
        )
    return "\n".join(lines)
