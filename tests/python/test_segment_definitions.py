"""Segments as data: an invalid definition fails with a message naming the segment."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from dbt_runner import dbt


@pytest.fixture(scope="module")
def scratch(warehouse_copy):
    db = warehouse_copy("segments")
    return db.parent, db


def _validate(scratch, name: str, change_sql: str | None):
    work, db = scratch
    con = duckdb.connect(str(db))
    con.execute(f"create or replace table {name} as select * from segment_definitions")
    if change_sql:
        con.execute(change_sql.format(table=name))
    con.close()
    return dbt(
        ["run-operation", "validate_segment_definitions", "--args", f"{{table: {name}}}"],
        Path(os.environ["C360_TEST_RAW_DIR"]),
        db,
        work / "target",
    )


def test_shipped_definitions_compile(scratch):
    result = _validate(scratch, "good_defs", None)
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]


@pytest.mark.parametrize(
    "change,message",
    [
        (
            "update {table} set column_name = 'no_such_column' where segment_id = 'high_spenders' and column_name = 'recency_days'",
            "Segment 'high_spenders': unknown column 'no_such_column'",
        ),
        (
            "update {table} set operator = '~~' where segment_id = 'lapsed' and condition_group = 2",
            "Segment 'lapsed': unknown operator '~~'",
        ),
        (
            "update {table} set value = 'lots' where segment_id = 'active_buyers' and column_name = 'monetary_value'",
            "Segment 'active_buyers': column monetary_value is numeric but the value 'lots' is not a number",
        ),
    ],
)
def test_invalid_definition_fails_naming_the_segment(scratch, change, message):
    result = _validate(scratch, "bad_defs", change)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert message in output, output[-2000:]
