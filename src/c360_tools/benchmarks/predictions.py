"""The prediction models' out-of-time report, read from a built warehouse's
model_evaluations (c360.predictions and c360.lifetime_value wrote it during the
build): per propensity target, each method's ROC AUC, PR AUC, Brier score, log loss
and top-decile lift on the validation cutoff, the shipped model's lift by decile,
reliability table and most important inputs, and its warning; for lifetime value,
the holdout check per calibration frequency against the naive rate.

``python -m c360_tools.benchmarks predictions --db /tmp/bench100k/bench.duckdb``
"""

from __future__ import annotations

import duckdb

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
