"""C360_MEMORY_LIMIT is the run's memory budget: DuckDB gets its share (c360.memory),
set by the project's dbt-duckdb plugin and reported by the on-run-start hook
report_memory_limit; a malformed value stops the run with a message."""

from __future__ import annotations

import pytest
from dbt_runner import dbt

from c360 import linkage, memory


def _apply(tmp_path, monkeypatch, value: str):
    monkeypatch.setenv("C360_MEMORY_LIMIT", value)
    return dbt(
        ["run-operation", "report_memory_limit", "--no-partial-parse"],
        tmp_path / "raw",
        tmp_path / "memory.duckdb",
        tmp_path / "target",
    )


def test_limit_is_applied(tmp_path, monkeypatch):
    result = _apply(tmp_path, monkeypatch, "2GB")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    # DuckDB gets 0.4 of the 2 GB budget and reports it in binary units: 800 MB = 762.9 MiB.
    assert "DuckDB memory_limit: 762.9 MiB (its share of C360_MEMORY_LIMIT=2GB)" in output, output[-2000:]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("6GB", "2400MB"), ("6 GB", "2400MB"), ("5.5GiB", "2362MB"), ("512MiB", "214MB"), ("1TB", "400000MB")],
)
def test_duckdb_gets_its_share_of_the_budget(monkeypatch, value, expected):
    monkeypatch.setenv("C360_MEMORY_LIMIT", value)
    assert memory.duckdb_memory_limit() == expected


def test_no_budget_leaves_duckdb_s_default(monkeypatch):
    monkeypatch.setenv("C360_MEMORY_LIMIT", " ")
    assert memory.duckdb_memory_limit() is None


def test_malformed_limit_stops_the_run(tmp_path, monkeypatch):
    result = _apply(tmp_path, monkeypatch, "80%")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "C360_MEMORY_LIMIT must be a number and a unit" in output, output[-2000:]


def test_the_matcher_s_own_duckdb_takes_the_cap(monkeypatch):
    """Splink runs its own DuckDB inside the dbt process: under a cap it is capped too."""
    monkeypatch.setenv("C360_MEMORY_LIMIT", "2GB")
    con = linkage._connection()
    assert con.execute("select current_setting('memory_limit')").fetchone()[0] == "762.9 MiB"
    monkeypatch.delenv("C360_MEMORY_LIMIT")
    assert (
        linkage._connection().execute("select current_setting('memory_limit')").fetchone()[0] != "762.9 MiB"
    )
    monkeypatch.setenv("C360_MEMORY_LIMIT", "2GB; drop table x")
    with pytest.raises(ValueError, match="C360_MEMORY_LIMIT must be a number and a unit"):
        linkage._connection()
