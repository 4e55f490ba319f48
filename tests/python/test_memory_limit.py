"""C360_MEMORY_LIMIT caps DuckDB's memory for a run (the on-run-start hook
apply_memory_limit); a malformed value stops the run with a message."""

from __future__ import annotations

import pytest
from dbt_runner import dbt

from c360 import linkage


def _apply(tmp_path, monkeypatch, value: str):
    monkeypatch.setenv("C360_MEMORY_LIMIT", value)
    return dbt(
        ["run-operation", "apply_memory_limit", "--no-partial-parse"],
        tmp_path / "raw",
        tmp_path / "memory.duckdb",
        tmp_path / "target",
    )


def test_limit_is_applied(tmp_path, monkeypatch):
    result = _apply(tmp_path, monkeypatch, "2GB")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    # DuckDB reports the setting back in binary units: 2 GB = 1.8 GiB.
    assert "DuckDB memory_limit: 1.8 GiB (C360_MEMORY_LIMIT=2GB)" in output, output[-2000:]


def test_malformed_limit_stops_the_run(tmp_path, monkeypatch):
    result = _apply(tmp_path, monkeypatch, "80%")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "C360_MEMORY_LIMIT must be a number and a unit" in output, output[-2000:]


def test_the_matcher_s_own_duckdb_takes_the_cap(monkeypatch):
    """Splink runs its own DuckDB inside the dbt process: under a cap it is capped too."""
    monkeypatch.setenv("C360_MEMORY_LIMIT", "2GB")
    con = linkage._connection()
    assert con.execute("select current_setting('memory_limit')").fetchone()[0] == "1.8 GiB"
    monkeypatch.delenv("C360_MEMORY_LIMIT")
    assert linkage._connection().execute("select current_setting('memory_limit')").fetchone()[0] != "1.8 GiB"
    monkeypatch.setenv("C360_MEMORY_LIMIT", "2GB; drop table x")
    with pytest.raises(ValueError, match="C360_MEMORY_LIMIT must be a number and a unit"):
        linkage._connection()
