"""Serving BI a complete version of the marts while the next build runs.

DuckDB lets one process write a database file, and a writer cannot open a file that a
reader holds (nor a reader one a writer holds). So BI never reads the warehouse dbt
builds: after a build passes, ``publish`` copies the BI schema (``main_bi``, the
PII-free views) into a new file beside the served one, as tables, with a
``main_bi._publication`` row naming the version and each table's row count, checkpoints
and closes it, and renames it over the served file. The rename is atomic: a reader
opening the file gets the previous version or the new one, whole; a reader already
connected keeps reading the version it opened (the old file lives on until it closes).
A build that fails never reaches ``publish``, so the last good version stays.

Command line (``scripts/build.sh`` runs it after ``dbt build``)::

    python -m c360.serving publish --warehouse c360.duckdb --out serving/c360_bi.duckdb
    python -m c360.serving check --served serving/c360_bi.duckdb
    python -m c360.serving watch --served F --stop-file S --report R.json   # reader loop
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb

SCHEMA = "main_bi"
PUBLICATION = "_publication"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Oldest DuckDB that can open the served copy (its storage format): see publish().
SERVED_STORAGE_VERSION = "v1.0.0"


def publish(warehouse: str | Path, out: str | Path, schema: str = SCHEMA) -> dict:
    """Copy every table and view of ``schema`` in ``warehouse`` into a new file and
    move it over ``out``. Returns the publication record."""
    warehouse, out = Path(warehouse), Path(out)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: build it first (dbt build)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    alias = warehouse.name.split(".")[0]
    if alias.lower() in {"memory", "system", "temp", "main", tmp.name.split(".")[0].lower()}:
        alias = "c360_warehouse"  # names DuckDB keeps for itself
    record = {
        "version": datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ") + "-" + uuid.uuid4().hex[:8],
        "published_at": datetime.now(UTC).isoformat(),
        "warehouse": str(warehouse.resolve()),
        "tables": {},
    }
    try:
        # written in a storage format DuckDB 1.x reads too: BI tools embed their own,
        # often older, DuckDB (duckdb-engine), and DuckDB 2's default format is 2.x-only
        con = duckdb.connect(str(tmp), config={"storage_compatibility_version": SERVED_STORAGE_VERSION})
        try:
            # attached under its own name, so views that name their catalog (built before
            # ref() dropped it) resolve too
            con.execute(f"attach '{warehouse.resolve()}' as {_quote(alias)} (read_only)")
            names = [
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables"
                    " where table_catalog = ? and table_schema = ? order by table_name",
                    [alias, schema],
                ).fetchall()
            ]
            if not names:
                raise ValueError(f"{warehouse} has no {schema} schema to publish: build it first (dbt build)")
            con.execute(f"create schema {_quote(schema)}")
            for name in names:
                target = f"{_quote(schema)}.{_quote(name)}"
                source = f"{_quote(alias)}.{_quote(schema)}.{_quote(name)}"
                con.execute(f"create table {target} as select * from {source}")
                record["tables"][name] = con.execute(f"select count(*) from {target}").fetchone()[0]
            con.execute(f"detach {_quote(alias)}")
            con.execute(
                f"create table {_quote(schema)}.{PUBLICATION} as"
                " select ? as version, ?::timestamptz as published_at, ? as warehouse, ? as tables_json",
                [
                    record["version"],
                    record["published_at"],
                    record["warehouse"],
                    json.dumps(record["tables"]),
                ],
            )
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp, out)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return record


def check(served: str | Path) -> dict:
    """Open the served file read-only and confirm it is one whole version: the
    publication row is there and every table holds the rows it recorded."""
    if not Path(served).is_file():
        raise FileNotFoundError(
            f"nothing published at {served}: run scripts/build.sh (or c360.serving publish)"
        )
    con = duckdb.connect(str(served), read_only=True)
    try:
        version, tables_json = con.execute(
            f"select version, tables_json from {_quote(SCHEMA)}.{PUBLICATION}"
        ).fetchone()
        tables = json.loads(tables_json)
        for name, rows in tables.items():
            found = con.execute(f"select count(*) from {_quote(SCHEMA)}.{_quote(name)}").fetchone()[0]
            if found != rows:
                raise AssertionError(f"{name}: {found} rows, the publication says {rows}")
        return {"version": version, "tables": len(tables)}
    finally:
        con.close()


def watch(served: str | Path, stop_file: str | Path, report: str | Path, interval: float = 0.2) -> dict:
    """A BI reader in a loop until ``stop_file`` exists: each pass opens the served
    file read-only, checks it (``check``) and closes it. Writes what it saw to
    ``report``: passes, versions, errors (a missing file before the first publication
    is not an error)."""
    seen: list[str] = []
    errors: list[str] = []
    passes = 0
    stop = Path(stop_file)
    while True:
        stopping = stop.exists()  # one last read after the stop signal
        if Path(served).exists():
            passes += 1
            try:
                version = check(served)["version"]
                if not seen or seen[-1] != version:
                    seen.append(version)
            except Exception as error:  # a reader must never fail: record it
                errors.append(f"{type(error).__name__}: {error}")
        if stopping:
            break
        time.sleep(interval)
    result = {"passes": passes, "versions": seen, "errors": errors}
    Path(report).write_text(json.dumps(result, indent=2))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m c360.serving", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("publish", help="copy the BI schema into a new served file, atomically")
    p.add_argument("--warehouse", required=True, help="the DuckDB file dbt built")
    p.add_argument("--out", required=True, help="the served file BI reads")
    c = sub.add_parser("check", help="confirm the served file is one whole version")
    c.add_argument("--served", required=True)
    w = sub.add_parser("watch", help="read the served file in a loop until --stop-file exists")
    w.add_argument("--served", required=True)
    w.add_argument("--stop-file", required=True)
    w.add_argument("--report", required=True)
    w.add_argument("--interval", type=float, default=0.2)
    args = parser.parse_args(argv)
    try:
        if args.command == "publish":
            record = publish(args.warehouse, args.out)
            print(
                f"published {len(record['tables'])} tables of {SCHEMA} to {args.out} (version {record['version']})"
            )
        elif args.command == "check":
            result = check(args.served)
            print(f"{args.served}: version {result['version']}, {result['tables']} tables, complete")
        else:
            result = watch(args.served, args.stop_file, args.report, args.interval)
            print(
                f"{result['passes']} reads, {len(result['versions'])} versions, {len(result['errors'])} errors"
            )
    except (OSError, ValueError, AssertionError, duckdb.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
