"""Compare every table and view of two warehouses built from the same raw files: which
relations only one has, which columns differ, and which rows (as multisets, every
column but those naming the run) one has and the other lacks.

    python -m c360_tools.compare BEFORE.duckdb AFTER.duckdb

Used to show that a restructure changed no output. Exit status 1 when any relation
present in both differs. ``--digits N`` compares floating-point columns rounded to N
significant digits: a parallel sum adds in whatever order the threads deliver rows,
so two builds of the same data can differ in the last bits of a double.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

# Columns that identify the build rather than the data: they differ between any two builds.
RUN_COLUMNS = {
    "run_id",
    "run_started_at",
    "snapshot_at",
    "changed_at",
    "valid_from",
    "valid_to",
    "dbt_scd_id",
    "dbt_updated_at",
    "published_at",
    "sessionised_at",
    "converted_at",
    "export_folder",
    "feature_bin_run_id",
    "feature_run_id",
    "segment_run_id",
    "model_run_row_id",
    "membership_change_id",
}


def _relations(con: duckdb.DuckDBPyConnection, db: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ? union all "
        "select schema_name, view_name from duckdb_views() where database_name = ? and not internal",
        [db, db],
    ).fetchall()
    return {(schema, name) for schema, name in rows}


def _columns(con: duckdb.DuckDBPyConnection, db: str, schema: str, name: str) -> dict[str, str]:
    """Column name -> data type, in column order."""
    return dict(
        con.execute(
            "select column_name, data_type from duckdb_columns() where database_name = ? and schema_name = ? "
            "and table_name = ? order by column_index",
            [db, schema, name],
        ).fetchall()
    )


def _expression(column: str, data_type: str, digits: int | None) -> str:
    """The column as compared: floating-point values rounded to `digits` significant
    digits when asked (zero, infinities and NaN as they are)."""
    quoted = f'"{column}"'
    if digits is None or data_type not in ("DOUBLE", "FLOAT"):
        return quoted
    return (
        f"case when {quoted} = 0 or not isfinite({quoted}) then {quoted} "
        f"else round({quoted}, cast({digits} - 1 - floor(log10(abs({quoted}))) as integer)) end"
    )


def compare(before: Path, after: Path, digits: int | None = None) -> tuple[list[str], int]:
    """Lines describing each difference, and the number of relations present in both
    that differ."""
    con = duckdb.connect()
    con.execute(f"attach '{before}' as b (read_only)")
    con.execute(f"attach '{after}' as a (read_only)")
    b_rel, a_rel = _relations(con, "b"), _relations(con, "a")
    lines = [f"only in {before}: {s}.{t}" for s, t in sorted(b_rel - a_rel)]
    lines += [f"only in {after}: {s}.{t}" for s, t in sorted(a_rel - b_rel)]
    differing = same = 0
    for schema, name in sorted(b_rel & a_rel):
        b_cols, a_cols = _columns(con, "b", schema, name), _columns(con, "a", schema, name)
        notes = []
        if list(b_cols) != list(a_cols):
            notes.append(
                f"columns -{[c for c in b_cols if c not in a_cols]} +{[c for c in a_cols if c not in b_cols]}"
                + (
                    ""
                    if [c for c in b_cols if c in a_cols] == [c for c in a_cols if c in b_cols]
                    else " (reordered)"
                )
            )
        compared = [c for c in b_cols if c in a_cols and c not in RUN_COLUMNS]
        select = ", ".join(_expression(c, b_cols[c], digits) for c in compared)
        b_ref, a_ref = f'b."{schema}"."{name}"', f'a."{schema}"."{name}"'
        counts = [con.execute(f"select count(*) from {ref}").fetchone()[0] for ref in (b_ref, a_ref)]
        only_b = con.execute(
            f"select count(*) from (select {select} from {b_ref} except all select {select} from {a_ref})"
        ).fetchone()[0]
        only_a = con.execute(
            f"select count(*) from (select {select} from {a_ref} except all select {select} from {b_ref})"
        ).fetchone()[0]
        if counts[0] != counts[1] or only_b or only_a:
            notes.append(f"rows {counts[0]} -> {counts[1]}, {only_b} only before, {only_a} only after")
        if notes:
            differing += 1
            lines.append(f"differs: {schema}.{name}: " + "; ".join(notes))
        else:
            same += 1
    lines.append(
        f"{same} relations identical, {differing} differ (run-identity columns ignored: {len(RUN_COLUMNS)}"
        + (f"; floats to {digits} significant digits)" if digits is not None else ")")
    )
    return lines, differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m c360_tools.compare", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument(
        "--digits", type=int, help="compare floating-point columns to this many significant digits"
    )
    args = parser.parse_args(argv)
    if args.digits is not None and not 1 <= args.digits <= 17:
        print("error: --digits must be between 1 and 17", file=sys.stderr)
        return 2
    for path in (args.before, args.after):
        if not path.is_file():
            print(f"error: no warehouse file {path}", file=sys.stderr)
            return 2
    lines, differing = compare(args.before, args.after, args.digits)
    print("\n".join(lines))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
