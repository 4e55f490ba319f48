"""The raw input contract: a missing file or a missing required column stops the
build with a message naming the file and the column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from dbt_runner import dbt

from c360_tools.datagen import RAW_COLUMNS


def _header_only_copy(sample_dir: Path, out: Path) -> None:
    out.mkdir()
    for table in RAW_COLUMNS:
        with open(sample_dir / f"{table}.csv", newline="") as fh:
            header = next(csv.reader(fh))
        with open(out / f"{table}.csv", "w", newline="") as fh:
            csv.writer(fh).writerow(header)


def _validate(raw_dir: Path, tmp_path: Path):
    return dbt(
        ["run-operation", "validate_raw_files", "--no-partial-parse"],
        raw_dir,
        tmp_path / "contract.duckdb",
        tmp_path / "target",
    )


@pytest.mark.parametrize("table,column", [("orders", "total_amount"), ("crm_contacts", "email")])
def test_missing_column_is_named(sample_dir, tmp_path, table, column):
    raw = tmp_path / "raw"
    _header_only_copy(sample_dir, raw)
    columns = [c for c in RAW_COLUMNS[table] if c != column]
    with open(raw / f"{table}.csv", "w", newline="") as fh:
        csv.writer(fh).writerow(columns)
    result = _validate(raw, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{table}.csv is missing required column(s): {column}" in output, output[-2000:]


def test_missing_file_is_named(sample_dir, tmp_path):
    raw = tmp_path / "raw"
    _header_only_copy(sample_dir, raw)
    (raw / "pos_transactions.csv").unlink()
    result = _validate(raw, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Raw file missing:" in output and "pos_transactions.csv" in output, output[-2000:]


def test_header_only_files_pass(sample_dir, tmp_path):
    raw = tmp_path / "raw"
    _header_only_copy(sample_dir, raw)
    result = _validate(raw, tmp_path)
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]


def test_extra_columns_are_allowed(sample_dir, tmp_path):
    raw = tmp_path / "raw"
    _header_only_copy(sample_dir, raw)
    with open(raw / "products.csv", "w", newline="") as fh:
        csv.writer(fh).writerow([*RAW_COLUMNS["products"], "supplier"])
    result = _validate(raw, tmp_path)
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]


def test_sources_and_malformed_line_reader_share_the_csv_dialect():
    """dbt_project.yml's CSV reader and c360.rawfiles read the files with the same
    options, so the lines one skips are the lines the other quarantines; the sources
    add only union_by_name and ignore_errors."""
    import re

    from dbt_runner import PROJECT_DIR

    from c360.rawfiles import CSV_OPTIONS

    project = (PROJECT_DIR / "dbt_project.yml").read_text()
    options = re.search(r"read_csv\('\{raw_dir\}/\{name\}\.\*csv', (.*)\)\" \}\}", project).group(1)
    options = options.replace('\\"', '"')
    assert options == f"union_by_name = true, {CSV_OPTIONS}, ignore_errors = true"
