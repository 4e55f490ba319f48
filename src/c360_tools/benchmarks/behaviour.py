"""Sessionisation and order attribution against the generator's ground truth.

Sessions: every clean web event has a true session (``_truth/event_sessions``) and
a predicted one (``int_web_events_sessionised``). Reported: the share of true
sessions recovered exactly (same events, no more, no fewer) and the adjusted Rand
index of the two partitions of events, from contingency counts.
Orders: the share of revenue orders with a customer whose identifiers mostly belong
to the order's true person (RFM inputs are only as good as this attribution).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from . import identity


def evaluate(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    t = str(truth_dir)
    con.execute(f"""
        create or replace temp table event_pairs as
        select e.session_id as predicted, s.session_id as actual
        from int_web_events_sessionised e
        inner join read_csv('{t}/event_sessions.csv', all_varchar = true) s using (event_id)
    """)
    con.execute("""
        create or replace temp table session_cells as
        select predicted, actual, count(*) as n from event_pairs group by 1, 2
    """)
    con.execute(
        "create or replace temp table predicted_sizes as select predicted, count(*) as n from event_pairs group by 1"
    )
    con.execute(
        "create or replace temp table actual_sizes as select actual, count(*) as n from event_pairs group by 1"
    )

    def scalar(sql: str) -> float:
        return con.execute(sql).fetchone()[0] or 0

    n = scalar("select count(*) from event_pairs")
    sum_cells = scalar("select sum(n * (n - 1) / 2) from session_cells")
    sum_pred = scalar("select sum(n * (n - 1) / 2) from predicted_sizes")
    sum_actual = scalar("select sum(n * (n - 1) / 2) from actual_sizes")
    actual_sessions = scalar("select count(*) from actual_sizes")
    exact = scalar("""
        select count(*)
        from session_cells as c
        inner join predicted_sizes as p on c.predicted = p.predicted and c.n = p.n
        inner join actual_sizes as a on c.actual = a.actual and c.n = a.n
    """)
    total_pairs = n * (n - 1) / 2
    expected = sum_pred * sum_actual / total_pairs if total_pairs else 0
    max_index = (sum_pred + sum_actual) / 2
    ari = (sum_cells - expected) / (max_index - expected) if max_index != expected else 1.0

    attributed, revenue_orders = con.execute(f"""
        with truth_ids as (
            select identifier_type || ':' || identifier_value as identifier_key, person_id
            from ({identity.truth_sql(truth_dir)}) as truth
            where identifier_type <> 'anonymous_id'
        ),
        customer_person as (
            select customer_id, mode(person_id) as person_id
            from customer_identity_map inner join truth_ids using (identifier_key)
            group by 1
        ),
        true_orders as (
            select 'shop:' || order_id as order_id, person_id
            from read_csv('{t}/orders.csv', all_varchar = true)
            union all
            select 'pos:' || transaction_id, person_id
            from read_csv('{t}/pos_transactions.csv', all_varchar = true)
        )
        select count(case when cp.person_id = t.person_id then 1 end), count(*)
        from fct_orders o
        inner join true_orders t using (order_id)
        left join customer_person cp using (customer_id)
        where o.is_revenue and (o.sale_source = 'shop' or o.customer_id is not null)
    """).fetchone()
    return {
        "events": int(n),
        "true_sessions": int(actual_sessions),
        "sessions_recovered_exactly": round(exact / actual_sessions, 5) if actual_sessions else None,
        "adjusted_rand_index": round(ari, 5),
        "revenue_orders_evaluated": int(revenue_orders),
        "orders_attributed_to_true_person": round(attributed / revenue_orders, 5) if revenue_orders else None,
    }
