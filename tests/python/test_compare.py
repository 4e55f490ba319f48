"""The warehouse comparison tool: rows compared as multisets, run-identity columns
left out, and --digits tolerating only last-bit differences of doubles."""

from __future__ import annotations

import duckdb

from c360_tools.compare import compare, main


def _warehouse(path, rows):
    con = duckdb.connect(str(path))
    con.execute("create table scores (customer_id varchar, score double, run_id varchar)")
    if rows:
        con.executemany("insert into scores values (?, ?, ?)", rows)
    con.close()


def test_last_bit_differences_pass_only_with_digits(tmp_path):
    before, after = tmp_path / "before.duckdb", tmp_path / "after.duckdb"
    _warehouse(before, [("a", 0.1 + 0.2, "run-1"), ("b", 0.0, "run-1"), ("c", -1234.5, "run-1")])
    # 0.3 and 0.1 + 0.2 differ in the last bit; the run id names the build
    _warehouse(after, [("c", -1234.5, "run-2"), ("a", 0.3, "run-2"), ("b", 0.0, "run-2")])
    lines, differing = compare(before, after)
    assert differing == 1 and "1 only before, 1 only after" in lines[0]
    lines, differing = compare(before, after, digits=12)
    assert differing == 0, lines


def test_a_real_difference_is_found_at_any_digits(tmp_path):
    before, after = tmp_path / "before.duckdb", tmp_path / "after.duckdb"
    _warehouse(before, [("a", 0.3, "run-1")])
    _warehouse(after, [("a", 0.3003, "run-1")])
    assert compare(before, after, digits=3)[1] == 0
    assert compare(before, after, digits=4)[1] == 1
    assert main([str(before), str(after), "--digits", "12"]) == 1


def test_bad_arguments_give_one_line_errors(tmp_path, capsys):
    assert main([str(tmp_path / "missing.duckdb"), str(tmp_path / "missing.duckdb")]) == 2
    before = tmp_path / "before.duckdb"
    _warehouse(before, [])
    assert main([str(before), str(before), "--digits", "40"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith("error: ") for line in errors)
