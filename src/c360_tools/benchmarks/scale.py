"""Scale benchmark: generate raw data for N customers (or reuse a directory), time
DuckDB's scan floor (every column of every raw file read once), then time a full
`dbt build` (models, snapshots and tests) layer by layer with each layer's peak
memory, and write a JSON and a Markdown report.

The pipeline's cost is reported as a multiple of the scan floor: the fastest
possible pass over the same data on the same machine."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from c360_tools.datagen import GeneratorConfig, generate

RAW_TABLES = [
    "crm_contacts",
    "web_events",
    "orders",
    "order_items",
    "products",
    "email_events",
    "pos_transactions",
    "consent_records",
    "erasure_requests",
]

# (layer, dbt selector); the last layer is everything not selected before it
LAYERS = [
    ("seeds", "resource_type:seed"),
    ("staging", "path:models/staging"),
    (
        "identity",
        "path:models/intermediate/customers path:models/marts/customers path:models/intermediate/privacy",
    ),
    (
        "features",
        "path:models/intermediate/behaviour path:models/marts/behaviour path:models/intermediate/features path:models/marts/features",
    ),
    ("python models", "path:models/intermediate/segments path:models/marts/segments"),
    ("activation, privacy, monitoring", None),
]


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_gib, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
    }


def _reader(raw_dir: Path, table: str, fmt: str) -> str:
    if fmt == "parquet":
        return f"read_parquet('{raw_dir}/{table}.*parquet', union_by_name = true)"
    return f"read_csv('{raw_dir}/{table}.*csv', union_by_name = true, header = true, all_varchar = true)"


def scan_floor(raw_dir: Path, fmt: str, threads: int) -> dict:
    """Seconds for DuckDB to read every column of every raw file once (count of
    each column forces every value to be parsed), and the rows per file."""
    con = duckdb.connect()
    con.execute(f"set threads = {threads}")
    rows = {}
    start = time.perf_counter()
    for table in RAW_TABLES:
        relation = _reader(raw_dir, table, fmt)
        columns = [r[0] for r in con.execute(f"describe select * from {relation}").fetchall()]
        counts = ", ".join(f'count("{c}")' for c in columns)
        rows[table] = con.execute(f"select count(*), {counts} from {relation}").fetchone()[0]
    return {"seconds": round(time.perf_counter() - start, 2), "rows": rows}


# the append-only raw tables a daily run receives new files for: table -> time column
DAILY_TABLES = {"web_events": "event_at", "orders": "order_at"}


def split_last_day(raw_dir: Path, fmt: str, out: Path) -> dict:
    """Lay out `out` as the raw directory of the day before the last: the other
    tables linked, web events and orders without their last day (ISO date prefix),
    order lines without those orders' lines. The last day's rows are written to
    out/next/<table>.<day>.<fmt>, to be moved in as the next day's files."""
    con = duckdb.connect()
    day = con.execute(
        f"select max(left(order_at, 10)) from {_reader(raw_dir, 'orders', fmt)}"
        " where regexp_full_match(left(order_at, 10), '\\d{4}-\\d{2}-\\d{2}')"
        " and left(order_at, 10) <= cast(current_date as varchar)"
    ).fetchone()[0]
    if out.exists():
        shutil.rmtree(out)
    (out / "next").mkdir(parents=True)
    options = "(format parquet)" if fmt == "parquet" else "(format csv, header true)"
    rows = {}
    for table in RAW_TABLES:
        relation = _reader(raw_dir, table, fmt)
        if table in DAILY_TABLES:
            is_new = f"left({DAILY_TABLES[table]}, 10) = '{day}'"
        elif table == "order_items":
            is_new = (
                f"order_id in (select order_id from {_reader(raw_dir, 'orders', fmt)}"
                f" where left(order_at, 10) = '{day}')"
            )
        else:
            (out / f"{table}.{fmt}").symlink_to(raw_dir / f"{table}.{fmt}")
            continue
        con.execute(
            f"copy (select * from {relation} where not coalesce({is_new}, false)) to '{out}/{table}.{fmt}' {options}"
        )
        # COPY answers with the number of rows it wrote
        rows[table] = con.execute(
            f"copy (select * from {relation} where {is_new}) to '{out}/next/{table}.{day}.{fmt}' {options}"
        ).fetchone()[0]
    return {"day": day, "rows": rows}


def _run(cmd: list[str], env: dict, cwd: Path, log) -> tuple[float, float, int]:
    """Run a command; return wall seconds, its peak RSS in GiB, and the exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 2**20, proc.returncode


def time_build(
    project: Path,
    raw_dir: Path,
    fmt: str,
    db: Path,
    work: Path,
    threads: int,
    memory_limit: str | None = None,
    label: str = "dbt_build",
) -> list[dict]:
    env = {
        **os.environ,
        "C360_RAW_DIR": str(raw_dir),
        "C360_RAW_FORMAT": fmt,
        "C360_DUCKDB_PATH": str(db),
        "C360_EXPORT_DIR": str(work / "exports"),
        "C360_THREADS": str(threads),
        "DBT_PROFILES_DIR": str(project),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.pop("C360_MEMORY_LIMIT", None)
    if memory_limit:
        env["C360_MEMORY_LIMIT"] = memory_limit
    (work / "exports").mkdir(parents=True, exist_ok=True)
    dbt = str(Path(sys.executable).parent / "dbt")
    base = [dbt, "build", "--target-path", str(work / "target"), "--indirect-selection", "buildable"]
    results, before = [], []
    with open(work / f"{label}.log", "w") as log:
        for name, selector in LAYERS:
            if selector is None:
                cmd = [*base, "--exclude", *" ".join(before).split()]
            else:
                cmd = [*base, "--select", *selector.split()]
                before.append(selector)
            seconds, rss, code = _run(cmd, env, project, log)
            results.append(
                {
                    "layer": name,
                    "seconds": round(seconds, 1),
                    "peak_rss_gib": round(rss, 2),
                    "ok": code == 0,
                    "failures": _failures(work / "target" / "run_results.json"),
                    "slowest": _slowest(work / "target" / "run_results.json"),
                }
            )
            # layers so far, for a long run stopped before the end
            (work / f"{label}_layers.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def _results(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return []


def _slowest(path: Path, n: int = 5) -> list[dict]:
    """The layer's n slowest nodes (models, tests, snapshots) from dbt's run_results."""
    rows = sorted(_results(path), key=lambda r: r.get("execution_time") or 0, reverse=True)[:n]
    return [
        {"node": r["unique_id"].split(".", 2)[-1], "seconds": round(r["execution_time"], 1)} for r in rows
    ]


def _failures(path: Path) -> list[str]:
    return [
        f"{r['unique_id'].split('.', 2)[-1]}: {r['status']}"
        for r in _results(path)
        if r.get("status") in ("error", "fail", "skipped")
    ]


def _layer_rows(layers: list[dict], total_label: str, total: float, peak: float) -> list[str]:
    """Table rows: one per build layer, then the total in bold."""
    return [
        *[
            f"| dbt build: {r['layer']}{'' if r.get('ok', True) else ' (failed)'} | {r['seconds']} | {r['peak_rss_gib']} |"
            for r in layers
        ],
        f"| **{total_label}** | **{total}** | **{peak}** |",
    ]


def _slowest_rows(layers: list[dict]) -> list[str]:
    """A table of each layer's slowest nodes (dbt run_results)."""
    return [
        "| layer | node | seconds |",
        "| --- | --- | ---: |",
        *[f"| {r['layer']} | {n['node']} | {n['seconds']} |" for r in layers for n in r.get("slowest", [])],
        "",
    ]


def markdown(report: dict) -> str:
    m, s = report["machine"], report["scan_floor"]
    daily = report.get("daily")
    lines = [
        f"### Scale benchmark: {report['customers']:,} customers ({report['format']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}, "
        f"DuckDB {m['duckdb']}; dbt threads {report['threads']}; DuckDB memory_limit "
        f"{report.get('memory_limit') or 'default (80% of memory)'}.",
        "",
        "| raw file | rows |",
        "| --- | ---: |",
        *[f"| {t} | {n:,} |" for t, n in s["rows"].items()],
        "",
        "| step | wall clock (s) | peak memory (GiB) |",
        "| --- | ---: | ---: |",
    ]
    if report.get("generate_seconds") is not None:
        lines.append(f"| generate raw data (not part of the build) | {report['generate_seconds']} | |")
    lines.append(f"| scan floor: DuckDB reads every column of every raw file once | {s['seconds']} | |")
    total_label = "dbt build, all layers incl. tests"
    if daily:
        total_label += f" (every day but {daily['day']})"
    lines += [
        *_layer_rows(report["layers"], total_label, report["build_seconds"], report["peak_rss_gib"]),
        "",
        f"Build = {report['floor_multiple']}× the scan floor.",
        "",
        "Slowest nodes per layer (dbt run_results):",
        "",
        *_slowest_rows(report["layers"]),
    ]
    layers = list(report["layers"])
    if daily:
        layers += daily["layers"]
        new_rows = ", ".join(f"{t} {n:,}" for t, n in daily["rows"].items())
        lines += [
            f"Daily run: the rows of {daily['day']} arrive as new files ({new_rows} rows);"
            " `dbt build` again on the built warehouse:",
            "",
            "| step | wall clock (s) | peak memory (GiB) |",
            "| --- | ---: | ---: |",
            *_layer_rows(
                daily["layers"],
                "daily dbt build, all layers incl. tests",
                daily["build_seconds"],
                daily["peak_rss_gib"],
            ),
            "",
            "Slowest nodes of the daily run:",
            "",
            *_slowest_rows(daily["layers"]),
        ]
    failures = [f for r in layers for f in r.get("failures", [])]
    if failures:
        lines += ["Failed or skipped nodes:", "", *[f"- {f}" for f in failures], ""]
    return "\n".join(lines)


def run(
    customers: int,
    raw_dir: Path,
    fmt: str,
    work: Path,
    threads: int,
    project: Path,
    orders_scale: float = 1.0,
    memory_limit: str | None = None,
    daily: bool = False,
) -> dict:
    """Full build of `raw_dir`; with `daily`, the full build is of every day but
    the last, then the last day arrives as new files and the incremental build
    that follows is timed too (report["daily"])."""
    work.mkdir(parents=True, exist_ok=True)
    generate_seconds = None
    if not (raw_dir / f"orders.{fmt}").exists():
        start = time.perf_counter()
        generate(
            str(raw_dir),
            GeneratorConfig(customers=customers, orders_scale=orders_scale),
            fmt=fmt,
            truth=False,
        )
        generate_seconds = round(time.perf_counter() - start, 1)
    floor = scan_floor(raw_dir, fmt, threads)
    db = work / "bench.duckdb"
    for path in (db, work / "exports"):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    build_raw = raw_dir
    if daily:
        split = split_last_day(raw_dir, fmt, work / "raw_by_day")
        build_raw = work / "raw_by_day"
    layers = time_build(project, build_raw, fmt, db, work, threads, memory_limit)
    total = round(sum(r["seconds"] for r in layers), 1)
    daily_report = None
    if daily:
        for path in sorted((build_raw / "next").iterdir()):
            path.rename(build_raw / path.name)
        daily_layers = time_build(project, build_raw, fmt, db, work, threads, memory_limit, "dbt_build_daily")
        daily_report = {
            **split,
            "layers": daily_layers,
            "build_seconds": round(sum(r["seconds"] for r in daily_layers), 1),
            "peak_rss_gib": max(r["peak_rss_gib"] for r in daily_layers),
        }
    report = {
        "customers": customers,
        "raw_dir": str(raw_dir),
        "format": fmt,
        "threads": threads,
        "memory_limit": memory_limit,
        "machine": machine(),
        "generate_seconds": generate_seconds,
        "scan_floor": floor,
        "layers": layers,
        "build_seconds": total,
        "peak_rss_gib": max(r["peak_rss_gib"] for r in layers),
        "floor_multiple": round(total / floor["seconds"], 1) if floor["seconds"] else None,
        "daily": daily_report,
    }
    (work / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (work / "report.md").write_text(markdown(report))
    return report
