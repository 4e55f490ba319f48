"""The recommendation methods' offline evaluation, read from a built warehouse's
model_evaluations (target ``recommendations``; c360.recommendations wrote it during the
build): per method, precision, recall and NDCG at k, catalogue coverage, intra-list
diversity and the share of lists completed by popularity, and the shipped method's
warning; plus what customer_recommendations holds.

With the generator's truth (``--truth``: ``_truth/product_bundles``, the products it
sells together), the report adds how much of the planted co-purchase structure the
shipped lists carry: of the customers who bought a bundled product but not all of its
partners, the share whose list offers a missing partner, beside the share a list of the
same length drawn at random from the catalogue would (the lift between the two); and
of the "bought together with X" reasons, the share where X and the product are planted
partners.

``python -m c360_tools.benchmarks recommendations --db WAREHOUSE`` (or ``--customers N
--work DIR``: generate, build, report)
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from .predictions import _truth_table

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


def bundles(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    """The planted bundles in the shipped lists (see the module docstring)."""
    truth = _truth_table(truth_dir, "product_bundles")
    row = con.execute(f"""
        with bundle as (select bundle_id, product_id from {truth}),
        partners as (
            select a.product_id, b.product_id as partner_id
            from bundle as a
            inner join bundle as b on a.bundle_id = b.bundle_id and a.product_id != b.product_id
        ),
        bought as (
            select distinct customer_id, product_id
            from int_product_interactions_listed
            where interaction_kind = 'purchase'
        ),
        missing as (
            select distinct bought.customer_id, partners.partner_id
            from bought
            inner join partners using (product_id)
            anti join bought as owned
                on owned.customer_id = bought.customer_id and owned.product_id = partners.partner_id
        ),
        listed as (
            select customer_id, count(*) as list_length
            from customer_recommendations
            group by 1
        ),
        owned_count as (
            select customer_id, count(*) as bought_products
            from bought
            group by 1
        ),
        eligible as (
            select
                listed.customer_id,
                listed.list_length,
                count(distinct missing.partner_id) as missing_partners,
                count(distinct recs.product_id) filter (where recs.product_id is not null) as offered,
                (select count(*) from dim_products) - any_value(owned_count.bought_products) as candidates
            from listed
            inner join missing using (customer_id)
            inner join owned_count using (customer_id)
            left join customer_recommendations as recs
                on recs.customer_id = missing.customer_id and recs.product_id = missing.partner_id
            group by 1, 2
        ),
        reasons as (
            select
                count(*) as together,
                count(partners.partner_id) as planted
            from customer_recommendations as recs
            left join partners
                on partners.product_id = recs.reason_product_id and partners.partner_id = recs.product_id
            where recs.reason_type = 'bought_together_with'
        )
        select
            (select count(*) from eligible),
            (select avg(case when offered > 0 then 1.0 else 0.0 end) from eligible),
            (select avg(1 - exp(lgamma(candidates - missing_partners + 1) + lgamma(candidates - list_length + 1)
                - lgamma(candidates + 1) - lgamma(candidates - missing_partners - list_length + 1)))
             from eligible where candidates - missing_partners >= list_length),
            (select together from reasons),
            (select planted from reasons)
    """).fetchone()
    customers, offered, chance, together, planted = row
    return {
        "customers_missing_a_partner": int(customers),
        "share_offered_a_missing_partner": None if offered is None else round(float(offered), 4),
        "share_by_chance": None if chance is None else round(float(chance), 4),
        "bought_together_reasons": int(together or 0),
        "share_of_those_planted": round(float(planted) / together, 4) if together else None,
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
    planted = report.get("bundles")
    if planted:
        offered, chance = planted["share_offered_a_missing_partner"], planted["share_by_chance"]
        lift = f"{offered / chance:.1f}x" if offered is not None and chance else "n/a"
        lines += [
            "",
            "Against the truth (the generator's planted bundles):"
            f" {planted['customers_missing_a_partner']:,} listed customers bought a bundled product but not"
            f" all its partners; {offered}"
            f" of their lists offer a missing partner, against {chance} for a random list of the same"
            f' length ({lift}); {planted["bought_together_reasons"]:,} "bought together" reasons, of which'
            f" {planted['share_of_those_planted']} name a planted partner.",
        ]
    return "\n".join(lines)
