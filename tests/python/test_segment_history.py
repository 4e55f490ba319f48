"""A second build with changed data records history: on a copy of the test
warehouse, the features and everything after them are rebuilt at an earlier as-of
date (so memberships change), then the snapshot, the change events, the per-build
sizes, the drift monitor and the frozen static segment are checked. The segment
preview analysis is compiled and run against the same copy."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from dbt_runner import SEGMENTATION_SETTINGS, build_models, dbt

FEATURES = SEGMENTATION_SETTINGS["features"]

SECOND_AS_OF = "2026-09-15"


@pytest.fixture(scope="module")
def rebuilt(warehouse_copy):
    # same file name: refs to models not rebuilt name its catalog
    db = warehouse_copy("history", "test.duckdb")
    work = db.parent
    raw = Path(os.environ["C360_TEST_RAW_DIR"])
    build_models(
        "path:models/intermediate/features+",
        raw,
        db,
        work / "target",
        ["--vars", f"{{as_of_date: '{SECOND_AS_OF}'}}"],
    )
    return db, raw, work


def _con(db):
    return duckdb.connect(str(db), read_only=True)


def test_changes_record_entries_and_exits_of_both_builds(rebuilt):
    con = _con(rebuilt[0])
    builds = con.execute("select count(distinct changed_at) from segment_membership_changes").fetchone()[0]
    exits = con.execute(
        "select count(*) from segment_membership_changes where change_type = 'exited'"
    ).fetchone()[0]
    late_entries = con.execute(
        "select count(*) from segment_membership_changes where change_type = 'entered'"
        " and changed_at = (select max(changed_at) from segment_membership_changes)"
    ).fetchone()[0]
    assert builds == 2
    assert exits > 0 and late_entries > 0


def test_sizes_and_stability_add_up(rebuilt):
    con = _con(rebuilt[0])
    runs = con.execute("select count(distinct run_id) from segment_size_history").fetchone()[0]
    assert runs == 2
    bad = con.execute(
        """select segment_id from segment_size_history
           where run_started_at = (select max(run_started_at) from segment_size_history)
             and (members <> previous_members - exited_members + entered_members
                  or retained_members <> previous_members - exited_members)"""
    ).fetchall()
    assert not bad
    # sizes agree with the membership table itself
    mismatched = con.execute(
        """select h.segment_id from segment_size_history h
           left join (select segment_id, count(*) n from customer_segments group by 1) s using (segment_id)
           where h.run_started_at = (select max(run_started_at) from segment_size_history)
             and h.members <> coalesce(s.n, 0)"""
    ).fetchall()
    assert not mismatched


def test_static_segment_stays_frozen(rebuilt):
    con = _con(rebuilt[0])
    row = con.execute(
        """select members, entered_members, exited_members, retention_rate from segment_size_history
           where segment_id = 'black_friday_2026_vips'
           order by run_started_at desc limit 1"""
    ).fetchone()
    assert row[0] > 0 and row[1] == 0 and row[2] == 0 and row[3] == 1.0
    # while a dynamic segment on the same scores moved
    moved = con.execute(
        """select sum(entered_members + exited_members) from segment_size_history
           where run_started_at = (select max(run_started_at) from segment_size_history)
             and segment_id <> 'black_friday_2026_vips'"""
    ).fetchone()[0]
    assert moved > 0


def test_drift_is_measured_against_the_previous_build(rebuilt):
    con = _con(rebuilt[0])
    rows = con.execute("select metric_type, metric_name, psi, is_warning from drift_monitoring").fetchall()
    assert {r[1] for r in rows if r[0] == "feature"} == set(FEATURES)
    assert all(r[2] is not None and r[2] >= 0 for r in rows)
    assert all(r[3] == (r[2] > 0.2) for r in rows)


def test_preview_analysis_compiles_and_runs(rebuilt):
    db, raw, work = rebuilt
    result = dbt(
        ["compile", "--select", "preview_segment", "--vars", "{preview_segment_id: lapsed}"],
        raw,
        db,
        work / "target",
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    sql = (work / "target" / "compiled" / "c360" / "analyses" / "preview_segment.sql").read_text()
    rows = _con(db).execute(sql).fetchall()
    sections = {r[0] for r in rows}
    assert sections == {"size", "profile", "overlap", "sample"}
    size = next(r for r in rows if r[0] == "size")
    assert size[2] > 0 and 0 < size[4] < 1
