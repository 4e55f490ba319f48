"""Point-in-time correctness: features built at an earlier as-of date equal what the
full data says about that earlier date, so nothing after the as-of date leaks in."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from dbt_runner import build_models

from c360.predictions import FEATURE_BOOKKEEPING

AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def early_build(warehouse, tmp_path_factory):
    work = tmp_path_factory.mktemp("pit")
    db = work / "early.duckdb"
    raw = Path(os.environ["C360_TEST_RAW_DIR"])
    build_models(
        "+customer_features +int_customer_features_at_cutoffs",
        raw,
        db,
        work / "target",
        ["--vars", f"{{as_of_date: '{AS_OF}'}}"],
    )
    return db


def test_no_feature_uses_later_data(early_build):
    con = duckdb.connect(str(early_build), read_only=True)
    row = con.execute(
        "select max(last_order_at), max(as_of_date), min(recency_days), min(days_since_last_activity)"
        " from customer_features"
    ).fetchone()
    assert str(row[1]) == AS_OF
    assert row[0] is None or str(row[0]) < "2026-07-01"
    assert row[2] is None or row[2] >= 0
    assert row[3] is None or row[3] >= 0


def test_early_features_match_the_full_history_cut_at_the_as_of_date(early_build):
    """Counts and sums recomputed from the full-data warehouse, cut at the as-of
    date, equal the early build's features for every customer in both."""
    full = os.environ["C360_TEST_DB"]
    con = duckdb.connect()
    con.execute(f"attach '{early_build}' as early (read_only)")
    con.execute(f"attach '{Path(full).resolve()}' as full_db (read_only)")
    mismatches = con.execute(f"""
        with expected as (
            select
                c.customer_id,
                (select count(*) from full_db.fct_orders o
                 where o.customer_id = c.customer_id and o.is_revenue and o.ordered_at < date '{AS_OF}' + 1)
                    as orders_count,
                (select coalesce(sum(net_revenue_reporting), 0) from full_db.fct_orders o
                 where o.customer_id = c.customer_id and o.is_revenue and o.ordered_at < date '{AS_OF}' + 1)
                    as monetary_value,
                (select count(*) from full_db.fct_email_engagement e
                 where e.customer_id = c.customer_id and e.event_type = 'send' and e.event_at < date '{AS_OF}' + 1)
                    as email_sends
            from full_db.dim_customers c
        )
        select e.customer_id, e.orders_count, f.orders_count, e.monetary_value, f.monetary_value,
               e.email_sends, f.email_sends
        from expected e
        inner join early.customer_features f using (customer_id)
        where e.orders_count <> f.orders_count or e.monetary_value <> f.monetary_value
           or e.email_sends <> f.email_sends
        limit 10
    """).fetchall()
    compared = con.execute(
        "select count(*) from early.customer_features f join full_db.dim_customers c using (customer_id)"
    ).fetchone()[0]
    assert compared > 1000
    assert not mismatches, mismatches


# the columns that name a row and its cutoff, not features
IDENTITY_COLUMNS = ("customer_cutoff_id", "is_scoring_cutoff", "is_validation_cutoff")


def test_prediction_features_at_a_cutoff_read_nothing_after_it(early_build):
    """The leakage guard of the prediction models: a training cutoff of the full build
    (2026-07-01) is the scoring cutoff of the build at AS_OF, which never sees a later
    row; every feature of every customer in both must be the same."""
    full = os.environ["C360_TEST_DB"]
    con = duckdb.connect()
    con.execute(f"attach '{early_build}' as early (read_only)")
    con.execute(f"attach '{Path(full).resolve()}' as full_db (read_only)")
    columns = [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where table_catalog = 'early'"
            " and table_name = 'int_customer_features_at_cutoffs' and column_name not in"
            f" ({', '.join(repr(name) for name in IDENTITY_COLUMNS + FEATURE_BOOKKEEPING)})"
            " order by ordinal_position"
        ).fetchall()
    ]
    listed = ", ".join(columns)
    early = f"select {listed} from early.int_customer_features_at_cutoffs where is_scoring_cutoff"
    later = f"select {listed} from full_db.int_customer_features_at_cutoffs where cutoff_date = date '{AS_OF}' + 1"
    compared = con.execute(
        f"select count(*) from ({early}) e inner join ({later}) f using (customer_id)"
    ).fetchone()[0]
    differing = con.execute(
        f"select * from (({early}) except ({later})) where customer_id in (select customer_id from ({later}))"
    ).fetchall()
    assert compared > 1000
    # the full build has later purchases, so a leak would show
    assert (
        con.execute(
            f"select count(*) from full_db.fct_orders where ordered_at >= date '{AS_OF}' + 1 and is_revenue"
        ).fetchone()[0]
        > 100
    )
    assert not differing, differing[:5]
