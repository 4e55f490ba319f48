"""Command-line tools answer bad input with a one-line error and a non-zero exit, never
a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

CASES = [
    (["c360_tools.datagen", "--customers", "-5", "--out", "{tmp}/x"], "positive whole number"),
    (["c360_tools.datagen", "--end-date", "2026-13-01", "--out", "{tmp}/x"], "YYYY-MM-DD"),
    (
        ["c360_tools.testdata", "--raw", "{tmp}/none", "--garbage", "{tmp}/none", "--out", "{tmp}/x"],
        "not a directory",
    ),
    (["c360.serving", "check", "--served", "{tmp}/none.duckdb"], "nothing published"),
    (
        ["c360.serving", "publish", "--warehouse", "{tmp}/none.duckdb", "--out", "{tmp}/s.duckdb"],
        "no warehouse",
    ),
    (["c360.linkage", "train", "--db", "{tmp}/none.duckdb", "--out", "{tmp}/m.json"], "no warehouse"),
    (["c360_tools.benchmarks", "predictions", "--db", "{tmp}/none.duckdb"], "no warehouse"),
    (["c360_tools.benchmarks", "predictions", "--db", "{tmp}/empty.duckdb"], "not a built warehouse"),
    (["c360_tools.benchmarks", "experiments", "--db", "{tmp}/empty.duckdb"], "needs --truth"),
    (["c360_tools.benchmarks", "recommendations", "--db", "{tmp}/empty.duckdb"], "not a built warehouse"),
    (
        ["c360_tools.benchmarks", "experiments", "--db", "{tmp}/empty.duckdb", "--truth", "{tmp}"],
        "no experiment_assignments",
    ),
    (["c360.experiments", "plan", "--baseline", "1.5", "--relative-lift", "0.1"], "between 0 and 1"),
    (["c360.experiments", "plan", "--baseline", "abc", "--relative-lift", "0.1"], "invalid float value"),
]


@pytest.mark.parametrize(("args", "message"), CASES, ids=[" ".join(a[:3]) for a, _ in CASES])
def test_bad_input_gives_a_one_line_error(tmp_path, args, message):
    import duckdb

    duckdb.connect(str(tmp_path / "empty.duckdb")).close()  # a warehouse with no tables
    done = subprocess.run(
        [sys.executable, "-m", *(a.format(tmp=tmp_path) for a in args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert message in done.stderr
    assert done.stderr.strip().splitlines()[-1].count("error") >= 1
