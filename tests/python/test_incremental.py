"""Incremental sessionisation equals a full refresh.

A warehouse is built from the test data with some web events held back: every
event of the last day, plus a random 3% of older events (late arrivals, among them
logins that later identify anonymous devices). The held-back events are then put
back into the raw file and the project is built again, incrementally. Its
int_web_events_sessionised and fct_sessions must equal those of the test
warehouse, which scripts/test.sh built from the same full data in one go."""

from __future__ import annotations

import csv
import os
import random
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_runner import PROJECT_DIR, build_models

LAST_DAY = "2026-09-30"
COMPARED = {
    "int_web_events_sessionised": "sessionised_at",
    "fct_sessions": "sessionised_at",
}


def _hold_back(source: Path, kept: Path) -> int:
    rng = random.Random(7)
    with open(source, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    at = header.index("event_at")
    kept_rows = [r for r in rows if not (r[at].startswith(LAST_DAY) or rng.random() < 0.03)]
    with open(kept, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(kept_rows)
    return len(rows) - len(kept_rows)


@pytest.fixture(scope="module")
def incremental_build(warehouse, tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    full_raw = Path(os.environ["C360_TEST_RAW_DIR"])
    raw = work / "raw"
    shutil.copytree(full_raw, raw)
    held_back = _hold_back(full_raw / "web_events.csv", raw / "web_events.csv")
    db = work / "incremental.duckdb"
    build_models("*", raw, db, work / "target")
    first = duckdb.connect(str(db), read_only=True)
    first_events = first.execute("select count(*) from int_web_events_sessionised").fetchone()[0]
    first.close()
    shutil.copy(full_raw / "web_events.csv", raw / "web_events.csv")
    build_models("*", raw, db, work / "target")
    return db, held_back, first_events


def _columns(con, catalog: str, table: str, skip: str) -> str:
    names = [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns"
            " where table_catalog = ? and table_name = ? order by ordinal_position",
            [catalog, table],
        ).fetchall()
    ]
    return ", ".join(n for n in names if n != skip)


@pytest.mark.parametrize("table", sorted(COMPARED))
def test_incremental_equals_full_refresh(incremental_build, table):
    db, held_back, _ = incremental_build
    con = duckdb.connect()
    con.execute(f"attach '{db}' as inc (read_only)")
    con.execute(f"attach '{PROJECT_DIR / os.environ['C360_TEST_DB']}' as full_db (read_only)")
    columns = _columns(con, "inc", table, COMPARED[table])
    assert columns == _columns(con, "full_db", table, COMPARED[table])
    only_inc = con.execute(
        f"select count(*) from (select {columns} from inc.{table} except all select {columns} from full_db.{table})"
    ).fetchone()[0]
    only_full = con.execute(
        f"select count(*) from (select {columns} from full_db.{table} except all select {columns} from inc.{table})"
    ).fetchone()[0]
    assert (only_inc, only_full) == (0, 0)


def test_the_second_run_was_incremental(incremental_build):
    """The held-back events changed some visitors, and only those were re-sessionised."""
    db, held_back, first_events = incremental_build
    con = duckdb.connect(str(db), read_only=True)
    total, events, rebuilt_visitors, rebuilt_events = con.execute(
        """select
               (select count(distinct visitor_key) from int_web_events_sessionised),
               (select count(*) from int_web_events_sessionised),
               count(distinct visitor_key), count(*)
           from int_web_events_sessionised
           where sessionised_at = (select max(sessionised_at) from int_web_events_sessionised)"""
    ).fetchone()
    assert held_back > 0 and events > first_events
    assert 0 < rebuilt_visitors < total
    assert rebuilt_events < events
