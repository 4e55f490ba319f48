"""The recommendation methods' offline evaluation, read from a built warehouse's
model_evaluations (target ``recommendations``; c360.recommendations wrote it during the
build): per method, precision, recall and NDCG at k, catalogue coverage, intra-list
diversity and the share of lists completed by popularity, and the shipped method's
warning; plus what customer_recommendations holds.

``python -m c360_tools.benchmarks recommendations --db WAREHOUSE`` (or ``--customers N
--work DIR``: generate, build, report)
"""

from __future__ import annotations

import duckdb

ORDER = ("popularity", "item_cf", "content", "hybrid")


def evaluate(con: duckdb.DuckDBPyConnection) -> dict:
    rows = con.execute(
        "select method, metric, metric_value, is_chosen, training_rows, validation_rows,"
        " cast(validation_cutoff as varchar), warning from model_evaluations"
        " where target = 'recommendations' order by method, metric"
    ).fetchall()
    if not rows:
        raise ValueError("model_evaluations has no recommendations rows (build the project first)")
    methods: dict = {}
    for method, metric, value, *_ in rows:
        methods.setdefault(method, {})[metric] = None if value is None else round(float(value), 4)
    listed = con.execute(
        "select count(*), count(distinct customer_id), (select count(*) from dim_customers)"
        " from customer_recommendations"
    ).fetchone()
    reasons = dict(
        con.execute("select reason_type, count(*) from customer_recommendations group by 1").fetchall()
    )
    return {
        "validation_cutoff": rows[0][6],
        "customers_with_history": int(rows[0][4]),
        "customers_evaluated": int(rows[0][5]),
        "shipped_method": next((r[0] for r in rows if r[3]), None),
        "warning": next((r[7] for r in rows if r[7]), None),
        "methods": methods,
        "recommendation_rows": int(listed[0]),
        "customers_with_recommendations": int(listed[1]),
        "customers": int(listed[2]),
        "reasons": {k: int(v) for k, v in sorted(reasons.items())},
    }


def markdown(report: dict) -> str:
    metrics = sorted({m for values in report["methods"].values() for m in values})
    lines = [
        f"Recommendations, offline out of time: cutoff {report['validation_cutoff']},"
        f" {report['customers_evaluated']:,} customers evaluated ({report['customers_with_history']:,}"
        f" with history before it); ships: {report['shipped_method']}",
        "",
        "| method | " + " | ".join(metrics) + " |",
        "|---|" + "---|" * len(metrics),
    ]
    for method in sorted(report["methods"], key=lambda m: ORDER.index(m) if m in ORDER else len(ORDER)):
        values = report["methods"][method]
        cells = ["" if values.get(m) is None else f"{values[m]:.4f}" for m in metrics]
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Warning: {report['warning'] or 'none'}",
        "",
        f"customer_recommendations: {report['recommendation_rows']:,} rows for"
        f" {report['customers_with_recommendations']:,} of {report['customers']:,} customers (personalisation"
        " consent); reasons: " + ", ".join(f"{k} {v:,}" for k, v in report["reasons"].items()),
    ]
    return "\n".join(lines)
