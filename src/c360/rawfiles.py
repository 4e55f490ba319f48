"""Malformed lines of the raw CSV files: the lines DuckDB's CSV reader cannot make a
row of (more fields than the header, a quote never closed, a broken encoding).

The sources read the raw CSV files with ``ignore_errors = true`` (dbt_project.yml),
so such a line never stops the build; ``malformed_lines`` reads every file once
more with DuckDB's reject tables (``store_rejects``) and returns each line it
skipped, so base_run__malformed_raw_lines can put them in quarantine_rows and
raw_row_reconciliation. A reject table needs a single-file read (it cannot be
combined with ``union_by_name``), hence one read per file here.

A quote that is never closed makes the reader take the rest of the file as one
value: DuckDB reports it as one malformed record holding every line up to the end,
so it is quarantined as one row (its text keeps all those lines).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

# The CSV dialect of the raw input contract; dbt_project.yml's external_location
# reads the files with the same options (tests/python/test_raw_contract.py checks).
CSV_OPTIONS = "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"'"

COLUMNS = {
    "raw_fingerprint": "str",
    "source_table": "str",
    "raw_file": "str",
    "line_number": "int64",
    "error_type": "str",
    "error_message": "str",
    "raw_line": "str",
}


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in COLUMNS.items()})


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def malformed_lines(con, raw_dir: str | Path, tables: list[str], raw_format: str = "csv") -> pd.DataFrame:
    """One row per malformed line of every ``<table>.csv`` / ``<table>.<part>.csv`` in
    ``raw_dir``, in table, file and line order, keyed by ``raw_fingerprint`` (a hash
    of the line's text and its copy number among identical lines of the table).
    Empty for Parquet (no lines)."""
    if raw_format != "csv":
        return _empty()
    found = []
    for table in sorted(tables):
        for path in sorted(Path(raw_dir).glob(f"{table}.*csv")):
            con.execute("drop table if exists c360_reject_errors")
            con.execute("drop table if exists c360_reject_scans")
            con.execute(
                f"select count(*) from read_csv({_sql_string(str(path))}, {CSV_OPTIONS}, store_rejects = true,"
                " rejects_table = 'c360_reject_errors', rejects_scan = 'c360_reject_scans')"
            ).fetchall()
            rejects = con.execute(
                """
                select
                    line as line_number,
                    string_agg(distinct error_type, ',' order by error_type) as error_type,
                    min(error_message) as error_message,
                    min(ltrim(csv_line, chr(10) || chr(13))) as raw_line
                from c360_reject_errors
                group by 1
                order by 1
                """
            ).fetchall()
            for line_number, error_type, message, raw_line in rejects:
                found.append(
                    {
                        "source_table": table,
                        "raw_file": path.name,
                        "line_number": int(line_number),
                        "error_type": error_type.lower().replace(" ", "_"),
                        "error_message": message.splitlines()[0] if message else None,
                        "raw_line": raw_line,
                    }
                )
    con.execute("drop table if exists c360_reject_errors")
    con.execute("drop table if exists c360_reject_scans")
    if not found:
        return _empty()
    frame = pd.DataFrame(found)
    # identified by the text, not by where it stands (a file split differently, or a
    # line moved, is the same malformed record); repeated copies are numbered
    copy = frame.groupby(["source_table", "raw_line"], sort=False).cumcount() + 1
    digest = frame["raw_line"].map(lambda text: hashlib.md5(text.encode()).hexdigest())
    frame.insert(0, "raw_fingerprint", digest + "-" + copy.astype(str))
    return frame[list(COLUMNS)].astype(COLUMNS)
