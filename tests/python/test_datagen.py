"""The generator: deterministic, complete, and its ground truth is consistent."""

from __future__ import annotations

import csv
import filecmp

import duckdb
import pytest

from c360_tools.datagen import RAW_COLUMNS, TRUTH_COLUMNS, GeneratorConfig, generate


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    manifest = generate(out, GeneratorConfig(customers=300, seed=7), log=lambda _: None)
    return out, manifest


def test_writes_every_raw_table_with_contract_columns(small):
    out, _ = small
    for table, columns in RAW_COLUMNS.items():
        with open(out / f"{table}.csv", newline="") as fh:
            assert next(csv.reader(fh)) == columns, table


def test_same_seed_same_bytes_and_other_seed_differs(small, tmp_path):
    out, _ = small
    again = tmp_path / "again"
    generate(again, GeneratorConfig(customers=300, seed=7), log=lambda _: None)
    other = tmp_path / "other"
    generate(other, GeneratorConfig(customers=300, seed=8), log=lambda _: None)
    for table in RAW_COLUMNS:
        assert filecmp.cmp(out / f"{table}.csv", again / f"{table}.csv", shallow=False), table
    assert not filecmp.cmp(out / "crm_contacts.csv", other / "crm_contacts.csv", shallow=False)


def test_truth_covers_every_contact_and_order(small):
    out, manifest = small
    con = duckdb.connect()
    raw_contacts = con.execute(
        f"select count(distinct contact_id) from read_csv('{out}/crm_contacts.csv', all_varchar=true)"
        " where contact_id is not null"
    ).fetchone()[0]
    truth = con.execute(
        f"select count(*) from read_csv('{out}/_truth/contacts.csv', all_varchar=true) t"
        f" join (select distinct contact_id from read_csv('{out}/crm_contacts.csv', all_varchar=true)) c"
        " using (contact_id)"
    ).fetchone()[0]
    assert truth == raw_contacts
    missing_orders = con.execute(
        f"select count(*) from (select distinct order_id from read_csv('{out}/orders.csv', all_varchar=true)) o"
        f" anti join read_csv('{out}/_truth/orders.csv', all_varchar=true) t using (order_id)"
    ).fetchone()[0]
    assert missing_orders == 0
    assert set(manifest["rows"]) >= {f"_truth/{t}" for t in TRUTH_COLUMNS}


def test_orders_follow_the_true_purchase_rates_inside_the_active_window(small):
    """The truth's purchase process is the one the orders were drawn from: per
    archetype, the orders counted are what rate x active days expects (a Poisson
    total, so within four standard deviations), and none falls outside its
    person's active window."""
    out, _ = small
    con = duckdb.connect()
    rows = con.execute(f"""
        with rates as (
            select
                person_id,
                cast(active_from as timestamp) as active_from,
                cast(active_until as timestamp) as active_until,
                cast(order_rate_per_day as double) as rate
            from read_csv('{out}/_truth/purchase_rates.csv', all_varchar = true)
        ),
        orders as (
            select t.person_id, count(*) as orders
            from (select distinct order_id from read_csv('{out}/orders.csv', all_varchar = true)) as o
            inner join read_csv('{out}/_truth/orders.csv', all_varchar = true) as t using (order_id)
            group by 1
        )
        select
            p.archetype,
            sum(r.rate * epoch(r.active_until - r.active_from) / 86400) as expected,
            coalesce(sum(orders.orders), 0) as counted
        from rates as r
        inner join read_csv('{out}/_truth/persons.csv', all_varchar = true) as p using (person_id)
        left join orders using (person_id)
        where p.is_anomalous = 'False'
        group by 1
        order by 1
    """).fetchall()
    assert {archetype for archetype, _, _ in rows} >= {"champion", "loyal", "occasional", "lapsed"}
    for archetype, expected, counted in rows:
        assert abs(counted - expected) <= 4 * max(expected, 1) ** 0.5, (archetype, expected, counted)
    # every timestamp format the generator writes, parsed back: none outside the window
    unparsed, outside = con.execute(f"""
        with parsed as (
            select
                t.person_id,
                coalesce(
                    try_strptime(o.order_at, ['%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%d %H:%M:%S', '%d/%m/%Y %H:%M']),
                    try(to_timestamp(try_cast(o.order_at as bigint)))::timestamp
                ) as order_at
            from read_csv('{out}/orders.csv', all_varchar = true) as o
            inner join read_csv('{out}/_truth/orders.csv', all_varchar = true) as t using (order_id)
        )
        select
            count(*) filter (where order_at is null),
            count(*) filter (
                where order_at not between cast(r.active_from as timestamp) - interval 1 minute
                and cast(r.active_until as timestamp)
            )
        from parsed
        inner join read_csv('{out}/_truth/purchase_rates.csv', all_varchar = true) as r using (person_id)
    """).fetchone()
    assert unparsed == 0 and outside == 0


def test_true_sessions_are_separated_by_more_than_thirty_minutes(small):
    """A person's generated sessions never come within 30 minutes of each other, so a
    30-minute inactivity rule can recover them exactly."""
    out, _ = small
    con = duckdb.connect()
    gap = con.execute(f"""
        with ev as (
            select e.event_id, cast(e.event_at as timestamptz) as ts, s.session_id,
                   coalesce(a.person_id, e.anonymous_id) as who
            from read_csv('{out}/web_events.csv', all_varchar=true) e
            join read_csv('{out}/_truth/event_sessions.csv', all_varchar=true) s using (event_id)
            join read_csv('{out}/_truth/anonymous_ids.csv', all_varchar=true) a using (anonymous_id)
        ),
        sessions as (
            select who, session_id, min(ts) as s, max(ts) as e from ev group by all
        ),
        ordered as (
            select s - lag(e) over (partition by who order by s) as gap from sessions
        )
        select min(gap) from ordered
    """).fetchone()[0]
    assert gap.total_seconds() > 30 * 60


def test_archetypes_and_anomalies_present(small):
    out, _ = small
    con = duckdb.connect()
    rows = con.execute(
        f"select archetype, count(*) from read_csv('{out}/_truth/persons.csv', all_varchar=true) group by 1"
    ).fetchall()
    assert {r[0] for r in rows} == {"champion", "loyal", "deal_seeker", "occasional", "lapsed", "browser"}
