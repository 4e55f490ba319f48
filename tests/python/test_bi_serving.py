"""BI reads a published copy, never the warehouse a build writes (c360.serving), and
the warehouse's views name no catalog, so they work from a renamed copy or an ATTACH."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from dbt_runner import TOOLS_BIN

from c360 import serving


def _views(con, catalog: str | None = None) -> list[tuple[str, str, str]]:
    where = "not internal" + (f" and database_name = '{catalog}'" if catalog else "")
    return con.execute(f"select schema_name, view_name, sql from duckdb_views() where {where}").fetchall()


def test_no_view_names_a_catalog(warehouse):
    catalog = warehouse.execute("select current_database()").fetchone()[0]
    views = _views(warehouse, catalog)
    assert len(views) >= 10
    named = [f"{s}.{v}" for s, v, sql in views if f'"{catalog}".' in sql or f"{catalog}." in sql.lower()]
    assert not named, f"views naming the catalog {catalog}: {named}"


@pytest.fixture(scope="module")
def renamed(warehouse_copy) -> Path:
    return warehouse_copy("renamed", "someone_elses_name.duckdb")


def test_bi_views_work_from_a_renamed_copy_and_an_attach(renamed):
    con = duckdb.connect(str(renamed), read_only=True)
    bi = [v for s, v, _ in _views(con) if s == serving.SCHEMA]
    assert len(bi) >= 5
    for view in bi:
        con.execute(f"select * from {serving.SCHEMA}.{view} limit 5").fetchall()
    con.close()
    other = duckdb.connect()
    other.execute(f"attach '{renamed}' as wh (read_only)")
    for view in bi:
        other.execute(f"select * from wh.{serving.SCHEMA}.{view} limit 5").fetchall()
    other.close()


def test_publish_replaces_the_served_file_whole_and_a_failure_keeps_it(warehouse, renamed, tmp_path):
    served = tmp_path / "served" / "c360_bi.duckdb"
    first = serving.publish(renamed, served)
    assert serving.check(served)["version"] == first["version"]
    assert set(first["tables"]) >= {"bi_orders", "bi_customers"}
    # a reader holding the first version keeps reading it while the second is published
    reader = duckdb.connect(str(served), read_only=True)
    second = serving.publish(renamed, served)
    held = reader.execute(f"select version from {serving.SCHEMA}.{serving.PUBLICATION}").fetchone()[0]
    assert held == first["version"]
    reader.close()
    assert serving.check(served)["version"] == second["version"]
    # failed publications (no warehouse; a warehouse without the BI schema) leave it be
    with pytest.raises(FileNotFoundError):
        serving.publish(tmp_path / "missing.duckdb", served)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(ValueError):
        serving.publish(empty, served)
    assert serving.check(served)["version"] == second["version"]
    assert sorted(p.name for p in served.parent.iterdir()) == ["c360_bi.duckdb"]


def test_a_reader_never_failed_during_the_second_build():
    """scripts/test.sh ran `c360.serving watch` across the second build of the test data
    and its publication: every read saw one whole version, and it saw the new one."""
    report = os.environ.get("C360_TEST_SERVING_REPORT")
    if not report:
        pytest.skip("C360_TEST_SERVING_REPORT not set: run through scripts/test.sh")
    seen = json.loads(Path(report).read_text())
    assert seen["errors"] == []
    assert seen["passes"] >= 10
    assert len(seen["versions"]) == 2


def test_the_served_copy_opens_in_duckdb_1(warehouse_path, tmp_path):
    """BI drivers embed their own DuckDB, often 1.x, which cannot read DuckDB 2's
    default storage format: the served copy is written in the 1.x format. The tools
    environment (.venv-tools, pinned to DuckDB 1.x by dbt-bouncer) stands in for such
    a driver."""
    served = tmp_path / "c360_bi.duckdb"
    serving.publish(warehouse_path, served)
    reader = TOOLS_BIN / "python"
    script = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True);"
        " print(duckdb.__version__, con.execute('select count(*) from main_bi.bi_customers').fetchone()[0])"
    )
    result = subprocess.run(
        [str(reader), "-c", script, str(served)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    version, customers = result.stdout.split()
    assert version.startswith("1."), f"the stand-in reader runs DuckDB {version}, not 1.x"
    assert int(customers) > 0
