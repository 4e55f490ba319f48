"""The prediction models' out-of-time report, read from a built warehouse's
model_evaluations (c360.predictions and c360.lifetime_value wrote it during the
build): per propensity target, each method's ROC AUC, PR AUC, Brier score, log loss
and top-decile lift on the validation cutoff, the shipped model's lift by decile,
reliability table and most important inputs, and its warning; for lifetime value,
the holdout check per calibration frequency against the naive rate.

``python -m c360_tools.benchmarks predictions --db /tmp/bench100k/bench.duckdb``

With the generator's truth (``--truth``), the report adds the ceiling: each person's
true chance of the outcome (``_truth/purchase_rates``: the generator's purchase
process, known rate and dropout date) scored against the same validation labels. No
model of the observable history can do better than the AUC of that truth; how close
the models come is the measure of how much of the planted signal they learn.

``python -m c360_tools.benchmarks predictions --customers 100000 --work /tmp/pred100k``
generates that many customers with their truth, builds the warehouse and writes the
report (``predictions.md``, ``predictions.json``) into the work directory.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
from sklearn.metrics import roc_auc_score

SUMMARY = ("roc_auc", "pr_auc", "brier_score", "log_loss", "lift_top_decile")
SHIPPED = "gradient_boosting"


def _number(value) -> float | None:
    return None if value is None or value != value else round(float(value), 4)


def evaluate(con: duckdb.DuckDBPyConnection, top_features: int = 6) -> dict:
    frame = con.execute(
        "select target, method, metric, bucket, feature, metric_value as value, is_chosen, warning, training_rows,"
        " validation_rows, cast(validation_cutoff as varchar) as validation_cutoff,"
        " cast(as_of_date as varchar) as as_of_date"
        " from model_evaluations order by target, method, metric, bucket, feature"
    ).df()
    report: dict = {"as_of_date": frame["as_of_date"].iloc[0] if len(frame) else None, "targets": {}}
    for target, rows in frame.groupby("target", sort=True):
        if target == "recommendations":
            continue  # c360_tools.benchmarks.recommendations reports them
        if target == "clv":
            report["clv"] = _lifetime_value(rows)
            continue
        shipped = rows[rows["method"] == SHIPPED]
        warnings = shipped["warning"].dropna().unique().tolist()
        single = rows[rows["bucket"].isna() & rows["feature"].isna()]
        entry = {
            "validation_cutoff": rows["validation_cutoff"].iloc[0],
            "training_rows": int(rows["training_rows"].iloc[0]),
            "validation_rows": int(rows["validation_rows"].iloc[0]),
            "skipped": bool((rows["metric"] == "skipped").any()),
            "warning": "; ".join(warnings) or None,
            "methods": {
                method: {metric: _number(value) for metric, value in zip(part["metric"], part["value"])}
                for method, part in single.groupby("method", sort=True)
            },
            "deciles": {
                method: [_number(v) for v in part.sort_values("bucket")["value"]]
                for method, part in rows[rows["metric"] == "decile_positive_rate"].groupby(
                    "method", sort=True
                )
            },
        }
        bins = shipped[shipped["metric"].str.startswith("reliability_")]
        table = (
            bins.pivot(index="bucket", columns="metric", values="value").reset_index() if len(bins) else None
        )
        entry["reliability"] = (
            []
            if table is None
            else [
                {
                    "bin": int(r["bucket"]),
                    "rows": int(r["reliability_rows"]),
                    "mean_predicted": _number(r["reliability_mean_predicted"]),
                    "observed_rate": _number(r["reliability_observed_rate"]),
                }
                for _, r in table.iterrows()
            ]
        )
        importance = shipped[shipped["metric"] == "permutation_importance_roc_auc"]
        importance = importance.sort_values(["value", "feature"], ascending=[False, True]).head(top_features)
        entry["importance"] = [
            {"feature": f, "roc_auc_drop": _number(v)}
            for f, v in zip(importance["feature"], importance["value"])
        ]
        grid = shipped[shipped["metric"] == "inner_validation_roc_auc"]
        entry["chosen_grid_point"] = (
            int(grid.loc[grid["is_chosen"], "bucket"].iloc[0]) if grid["is_chosen"].any() else None
        )
        report["targets"][target] = entry
    return report


def _lifetime_value(rows) -> dict:
    def value(method: str, metric: str):
        hit = rows[(rows["method"] == method) & (rows["metric"] == metric)]
        return _number(hit["value"].iloc[0]) if len(hit) else None

    buckets = rows[rows["metric"].str.startswith("bucket_")]
    table = []
    for bucket in sorted(buckets["bucket"].dropna().unique()):
        at = buckets[buckets["bucket"] == bucket]

        def pick(method: str, metric: str, at=at):
            hit = at[(at["method"] == method) & (at["metric"] == metric)]
            return _number(hit["value"].iloc[0]) if len(hit) else None

        table.append(
            {
                "repeat_purchase_days": int(bucket),
                "customers": int(pick("bg_nbd", "bucket_customers") or 0),
                "actual": pick("bg_nbd", "bucket_mean_actual_purchase_days"),
                "bg_nbd": pick("bg_nbd", "bucket_mean_predicted_purchase_days"),
                "naive_rate": pick("naive_rate", "bucket_mean_predicted_purchase_days"),
            }
        )
    totals = {
        f"{method}_{quantity}_{stat}": value(method, f"holdout_{quantity}_{stat}")
        for method in ("bg_nbd", "gamma_gamma", "naive_rate")
        for quantity in ("purchase_days", "spend")
        for stat in ("predicted_total", "actual_total", "error_pct", "mae")
        if value(method, f"holdout_{quantity}_{stat}") is not None
    }
    parameters = rows[rows["metric"] == "parameter"]
    return {
        "calibration_cutoff": rows["validation_cutoff"].iloc[0],
        "customers": int(rows["training_rows"].iloc[0]),
        "warning": "; ".join(rows["warning"].dropna().unique()) or None,
        "holdout_by_frequency": table,
        "totals": totals,
        "parameters": {f: _number(v) for f, v in zip(parameters["feature"], parameters["value"])},
        "frequency_monetary_correlation": value("gamma_gamma", "frequency_monetary_correlation"),
    }


def _cell(value) -> str:
    return "" if value is None else f"{value:.3f}"


def markdown(report: dict) -> str:
    lines = [f"Prediction models, out of time (as of {report['as_of_date']})", ""]
    for target, entry in report["targets"].items():
        lines += [
            f"#### {target}: validation cutoff {entry['validation_cutoff']}, "
            f"{entry['training_rows']:,} training rows (sampled), {entry['validation_rows']:,} validation rows",
            "",
        ]
        if entry["skipped"]:
            lines += [f"Not fitted: {entry['warning']}", ""]
            continue
        lines += [
            "| method | ROC AUC | PR AUC | Brier | log loss | top-decile lift |",
            "|---|---|---|---|---|---|",
        ]
        for method, metrics in entry["methods"].items():
            lines.append(f"| {method} | " + " | ".join(_cell(metrics.get(m)) for m in SUMMARY) + " |")
        lines += ["", f"Warning: {entry['warning'] or 'none'}", ""]
        lines += ["Positive rate by decile (1 = highest scores):", ""]
        lines += ["| method | " + " | ".join(str(i) for i in range(1, 11)) + " |", "|---|" + "---|" * 10]
        for method, rates in entry["deciles"].items():
            lines.append(f"| {method} | " + " | ".join(_cell(r) for r in rates) + " |")
        lines += ["", "Reliability of the shipped (calibrated) model:", ""]
        lines += ["| predicted | rows | mean predicted | observed |", "|---|---|---|---|"]
        for row in entry["reliability"]:
            low = (row["bin"] - 1) / 10
            lines.append(
                f"| {low:.1f}-{low + 0.1:.1f} | {row['rows']:,} | {_cell(row['mean_predicted'])} | "
                f"{_cell(row['observed_rate'])} |"
            )
        lines += [
            "",
            "Permutation importance (drop in ROC AUC): "
            + ", ".join(f"{item['feature']} {item['roc_auc_drop']:.3f}" for item in entry["importance"]),
            "",
        ]
    if report.get("ceiling"):
        lines += _ceiling_markdown(report)
    if report.get("clv"):
        lines += _lifetime_value_markdown(report["clv"])
    return "\n".join(lines)


def _lifetime_value_markdown(clv: dict) -> list[str]:
    lines = [
        f"#### clv: calibration cutoff {clv['calibration_cutoff']}, {clv['customers']:,} buyers followed"
        " to the as-of date",
        "",
    ]
    if clv["warning"]:
        lines += [f"Warning: {clv['warning']}", ""]
    lines += [
        "| repeat purchase days before the cutoff | customers | actual purchase days in the holdout (mean)"
        " | BG/NBD predicted | naive rate predicted |",
        "|---|---|---|---|---|",
    ]
    for row in clv["holdout_by_frequency"]:
        days = row["repeat_purchase_days"]
        label = f"{days}+" if days == 7 else str(days)
        lines.append(
            f"| {label} | {row['customers']:,} | {_cell(row['actual'])} | {_cell(row['bg_nbd'])} |"
            f" {_cell(row['naive_rate'])} |"
        )
    t = clv["totals"]
    lines += [
        "",
        "| holdout | actual | predicted | error | mean absolute error per customer |",
        "|---|---|---|---|---|",
    ]
    for label, method, quantity in (
        ("purchase days, BG/NBD", "bg_nbd", "purchase_days"),
        ("purchase days, naive rate", "naive_rate", "purchase_days"),
        ("spend, BG/NBD x Gamma-Gamma", "gamma_gamma", "spend"),
        ("spend, naive rate", "naive_rate", "spend"),
    ):
        key = f"{method}_{quantity}"
        if f"{key}_actual_total" in t:
            lines.append(
                f"| {label} | {t[f'{key}_actual_total']:,.0f} | {t.get(f'{key}_predicted_total') or 0:,.0f} |"
                f" {t.get(f'{key}_error_pct') or 0:+.1f}% | {t.get(f'{key}_mae') or 0:,.2f} |"
            )
    parameters = ", ".join(f"{k} {v:.3f}" for k, v in clv["parameters"].items())
    lines += [
        "",
        f"Parameters: {parameters}; correlation of frequency and spend per purchase day among repeat buyers"
        f" (Gamma-Gamma assumes none): {_cell(clv['frequency_monetary_correlation'])}",
        "",
    ]
    return lines


def _truth_table(truth_dir: Path, name: str) -> str:
    for suffix, reader in (("csv", "read_csv"), ("parquet", "read_parquet")):
        path = truth_dir / f"{name}.{suffix}"
        if path.is_file():
            options = ", all_varchar = true" if suffix == "csv" else ""
            return f"{reader}('{path}'{options})"
    raise FileNotFoundError(f"no {name}.csv or {name}.parquet in {truth_dir}")


def ceiling(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    """The truth's ROC AUC on the validation labels, per target, beside the models'.

    Each customer is the person most of its identifiers belong to. The truth's
    probability of a purchase in the horizon after the cutoff is 1 - exp(-rate x the
    person's active days in it); of churn, exp(-rate x active days in the churn
    horizon). The mean of those beside the observed rate checks the truth against the
    labels the project derives (identity errors and quarantined rows move them apart).
    """
    t = {
        name: _truth_table(truth_dir, name)
        for name in ("contacts", "loyalty_ids", "anonymous_ids", "persons")
    }
    rates = _truth_table(truth_dir, "purchase_rates")
    horizons = con.execute(
        "select any_value(purchase_horizon_days), any_value(churn_horizon_days) from customer_predictions"
    ).fetchone()
    frame = con.execute(f"""
        with truth_keys as (
            select 'contact_id:' || contact_id as identifier_key, person_id from {t["contacts"]}
            union all
            select 'loyalty_id:' || loyalty_id, person_id from {t["loyalty_ids"]}
            union all
            select 'anonymous_id:' || anonymous_id, person_id from {t["anonymous_ids"]}
            where person_id is not null
            union all
            select 'email:' || lower(email), person_id from {t["persons"]}
        ),
        person_of as (
            select identity_map.customer_id, mode(truth_keys.person_id order by truth_keys.person_id) as person_id
            from customer_identity_map as identity_map
            inner join truth_keys using (identifier_key)
            group by 1
        ),
        validation as (
            select outcomes.*
            from int_customer_outcomes_after_cutoffs as outcomes
            inner join int_prediction_cutoffs as cutoffs using (cutoff_date)
            where cutoffs.is_validation_cutoff
        )
        select
            validation.customer_id,
            validation.purchased_within_purchase_horizon as purchased,
            validation.is_churn_eligible,
            validation.churned_within_churn_horizon as churned,
            epoch(cast(validation.cutoff_date as timestamp)) as cutoff_s,
            epoch(cast(rates.active_from as timestamp)) as from_s,
            epoch(cast(rates.active_until as timestamp)) as until_s,
            cast(rates.revenue_rate_per_day as double) as rate,
            person_of.person_id is not null as is_mapped
        from validation
        left join person_of using (customer_id)
        left join {rates} as rates using (person_id)
        order by validation.customer_id
    """).df()
    mapped = frame[frame["is_mapped"]]

    def active_days(horizon: int) -> np.ndarray:
        end = np.minimum(mapped["cutoff_s"] + horizon * 86_400, mapped["until_s"])
        start = np.maximum(mapped["cutoff_s"], mapped["from_s"])
        return np.clip(end - start, 0, None) / 86_400

    buy = 1 - np.exp(-mapped["rate"].to_numpy() * active_days(horizons[0]))
    churn = np.exp(-mapped["rate"].to_numpy() * active_days(horizons[1]))
    eligible = mapped["is_churn_eligible"].fillna(False).to_numpy(bool)
    out = {"validation_rows": len(frame), "rows_with_a_true_person": len(mapped)}
    for target, truth, labels in (
        ("purchase", buy, mapped["purchased"].to_numpy(bool)),
        ("churn", churn[eligible], mapped["churned"].to_numpy()[eligible].astype(bool)),
    ):
        both = len(labels) and labels.any() and not labels.all()
        out[target] = {
            "rows": int(len(labels)),
            "truth_roc_auc": round(float(roc_auc_score(labels, truth)), 4) if both else None,
            "truth_mean_probability": round(float(truth.mean()), 4) if len(labels) else None,
            "observed_rate": round(float(labels.mean()), 4) if len(labels) else None,
        }
    return out


def _ceiling_markdown(report: dict) -> list[str]:
    c = report["ceiling"]
    lines = [
        "#### Against the truth (the generator's purchase process)",
        "",
        f"{c['rows_with_a_true_person']:,} of {c['validation_rows']:,} validation rows belong to a known person.",
        "",
        "| target | rows | truth ROC AUC (ceiling) | shipped model | logistic regression | recency rule"
        " | truth mean probability | observed rate |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for target in ("purchase", "churn"):
        entry = c[target]
        methods = report["targets"].get(target, {}).get("methods", {})
        models = [methods.get(m, {}).get("roc_auc") for m in (SHIPPED, "logistic_regression", "recency_rule")]
        lines.append(
            f"| {target} | {entry['rows']:,} | {_cell(entry['truth_roc_auc'])} | "
            + " | ".join(_cell(v) for v in models)
            + f" | {_cell(entry['truth_mean_probability'])} | {_cell(entry['observed_rate'])} |"
        )
    return [*lines, ""]
