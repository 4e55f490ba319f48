"""Scale benchmark: generate raw data for N customers (or reuse a directory), time
DuckDB's scan floor (every column of every raw file read once), then time a full
`dbt build` (models, snapshots and tests) layer by layer with each layer's peak
memory, and write a JSON and a Markdown report.

The pipeline's cost is reported as a multiple of the scan floor: the fastest
possible pass over the same data on the same machine."""

from __future__ import annotations

import heapq
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import duckdb
import networkx as nx

from c360 import memory
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

# Layers of the report: a node belongs to the first layer one of whose folders
# holds its file (tests and unit tests: the model they test); the last layer holds
# the rest. The build itself is one `dbt build`, as the main job runs it.
LAYERS = [
    ("seeds", ("seeds/",)),
    ("staging", ("models/staging/",)),
    (
        "identity",
        ("models/intermediate/customers/", "models/marts/customers/", "models/intermediate/privacy/"),
    ),
    (
        "features",
        (
            "models/intermediate/behaviour/",
            "models/marts/behaviour/",
            "models/intermediate/features/",
            "models/marts/features/",
        ),
    ),
    ("python models", ("models/intermediate/segments/", "models/marts/segments/")),
    ("predictions", ("models/intermediate/predictions/", "models/marts/predictions/")),
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
    """Seconds for DuckDB to read every column of every raw file once, and the rows
    per file. Each value is hashed: a count of a column is answered from Parquet's
    metadata without reading a value."""
    con = duckdb.connect()
    con.execute(f"set threads = {threads}")
    rows = {}
    start = time.perf_counter()
    for table in RAW_TABLES:
        relation = _reader(raw_dir, table, fmt)
        columns = [r[0] for r in con.execute(f"describe select * from {relation}").fetchall()]
        hashes = ", ".join(f'sum(hash("{c}"))' for c in columns)
        rows[table] = con.execute(f"select count(*), {hashes} from {relation}").fetchone()[0]
    return {"seconds": round(time.perf_counter() - start, 2), "rows": rows}


# the append-only raw tables a daily run receives new files for: table -> time column
DAILY_TABLES = {
    "web_events": "event_at",
    "orders": "order_at",
    "email_events": "event_at",
    "consent_records": "recorded_at",
}


def split_last_day(raw_dir: Path, fmt: str, out: Path) -> dict:
    """Lay out `out` as the raw directory of the day before the last: the other
    tables linked, web events, orders, email events and consent records without
    their last day (ISO date prefix), order lines without those orders' lines. The last day's rows are written to
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


def _rss_gib(pid: int) -> float | None:
    """Resident memory of a running process (Linux /proc), in GiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 2**20
    except (OSError, ValueError):
        return None
    return None


def _run(cmd: list[str], env: dict, cwd: Path, log) -> tuple[float, float, int, float | None]:
    """Run a command; return wall seconds, its peak RSS in GiB, the exit code, and
    the time (epoch seconds) its resident memory was highest, sampled twice a second
    (None where /proc cannot be read)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    peak = {"gib": 0.0, "at": None}
    done = threading.Event()

    def sample():
        while not done.wait(0.5):
            rss = _rss_gib(proc.pid)
            if rss is not None and rss > peak["gib"]:
                peak.update(gib=rss, at=time.time())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 2**20, proc.returncode, peak["at"]


def time_build(
    project: Path,
    raw_dir: Path,
    fmt: str,
    db: Path,
    work: Path,
    threads: int,
    memory_limit: str | None = None,
    label: str = "dbt_build",
) -> dict:
    """One `dbt build` of the whole project: its wall clock and peak memory, dbt's
    own share (start-up, parse and the end of the run: the wall clock outside the
    first node's start and the last node's end), and each layer's node-seconds,
    failures and slowest nodes from run_results."""
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
    # as the main job (scripts/build.sh) runs it: unit tests belong to the test command
    cmd = [dbt, "build", "--exclude-resource-type", "unit_test", "--target-path", str(work / "target")]
    with open(work / f"{label}.log", "w") as log:
        started = time.time()
        seconds, rss, code, peak_at = _run(cmd, env, project, log)
    # every node's timings of this build, kept beside the report (the next build
    # overwrites dbt's own copy)
    if (work / "target" / "run_results.json").exists():
        shutil.copyfile(work / "target" / "run_results.json", work / f"{label}_run_results.json")
    results = _results(work / "target" / "run_results.json")
    layer_of = _layer_of_nodes(work / "target" / "manifest.json")
    layers = []
    for name, _ in LAYERS:
        rows = [r for r in results if layer_of.get(r["unique_id"], LAYERS[-1][0]) == name]
        layers.append(
            {
                "layer": name,
                "node_seconds": round(sum(r.get("execution_time") or 0 for r in rows), 1),
                "nodes": len(rows),
                "failures": _failures(rows),
                "slowest": _slowest(rows),
            }
        )
    overhead, at_peak = _timing_summary(results, started, seconds, peak_at)
    build = {
        "seconds": round(seconds, 1),
        "peak_rss_gib": round(rss, 2),
        "running_at_peak": at_peak,
        "ok": code == 0,
        "dbt_overhead_seconds": overhead,
        "layers": layers,
        "bounds": bounds(read_graph(work / "target" / "graph.gpickle"), results, threads),
    }
    (work / f"{label}.json").write_text(json.dumps(build, indent=2) + "\n")
    return build


def _timing_summary(
    results: list[dict], started: float, seconds: float, peak_at: float | None
) -> tuple[float | None, list[str]]:
    """From run_results: dbt's own share of a run that started at `started` (epoch
    seconds) and took `seconds` — the wall clock before the first node's first phase
    and after the last node's last — and the nodes whose execute phase spans
    `peak_at`."""
    # every timed phase of every node: (node, phase, start, end) in epoch seconds
    phases = [
        (r["unique_id"].split(".", 2)[-1], t.get("name"), _epoch(t["started_at"]), _epoch(t["completed_at"]))
        for r in results
        for t in r.get("timing", [])
        if t.get("started_at") and t.get("completed_at")
    ]
    overhead = None
    if phases:
        first, last = min(p[2] for p in phases), max(p[3] for p in phases)
        overhead = round(max(first - started, 0) + max(started + seconds - last, 0), 1)
    at_peak = sorted(
        node
        for node, phase, start, end in phases
        if peak_at and phase == "execute" and start <= peak_at <= end
    )
    return overhead, at_peak


def read_graph(path: Path) -> nx.DiGraph | None:
    """The graph `dbt build` ran (dbt writes it to target/graph.gpickle: every node
    and edge, with the edges `dbt build` adds from a model's tests to the nodes that
    wait for them), or None when the file is missing or unreadable. A pickle: this
    reads only the file the benchmark's own dbt run just wrote."""
    try:
        with open(path, "rb") as fh:
            graph = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return graph if isinstance(graph, nx.DiGraph) else None


# the critical path's nodes a report lists: those of at least this share of it
CRITICAL_PATH_SHARE = 0.02


def bounds(
    graph: nx.DiGraph | None, results: list[dict], threads: int, share: float = CRITICAL_PATH_SHARE
) -> dict | None:
    """What bounds a build's wall clock, from its own node times (run_results).

    - The critical path: the longest chain of node times through the graph (a node
      that did not run, such as a source or an ephemeral model, passes its parents'
      time on). The chain lists its nodes that take at least ``share`` of it.
    - The node-seconds divided by the threads.
    - Two replays of the node times on ``threads`` workers, each taking the ready
      node first in an order: dbt's (depth in the graph of the nodes that ran, then
      name: dbt.graph.queue.GraphQueue scores nodes so) and critical path first
      (the longest chain still ahead of a node, then name).

    No order finishes before the larger of the two bounds, as long as each node takes
    the time it took; a node that ran beside another may run faster alone, so the
    bounds and the replays are estimates, not measurements. None without a graph or
    results. networkx (a dependency of dbt-core) walks the graph: dbt keeps it as a
    networkx graph."""
    if graph is None or not results:
        return None
    seconds = {r["unique_id"]: float(r.get("execution_time") or 0.0) for r in results}
    ran = _ran_graph(graph, set(seconds) & set(graph.nodes))
    # the longest chain ahead of each node (itself included), and the child it goes on to
    ahead, onto = {}, {}
    for node in reversed(list(nx.topological_sort(ran))):
        child = max(ran.successors(node), key=lambda c: (ahead[c], c), default=None)
        ahead[node] = seconds[node] + (ahead[child] if child is not None else 0.0)
        onto[node] = child
    node = max(ahead, key=lambda n: (ahead[n], n), default=None)
    length = ahead.get(node, 0.0)
    chain = []
    while node is not None:
        chain.append(node)
        node = onto[node]
    depth = {n: level for level, nodes in enumerate(nx.topological_generations(ran)) for n in nodes}
    return {
        "critical_path_seconds": round(length, 1),
        "throughput_seconds": round(sum(seconds.values()) / max(threads, 1), 1),
        "threads": threads,
        "replay_dbt_order_seconds": round(replay(ran, seconds, threads, {n: (depth[n], n) for n in ran}), 1),
        "replay_critical_path_first_seconds": round(
            replay(ran, seconds, threads, {n: (-ahead[n], n) for n in ran}), 1
        ),
        "critical_path": [
            {"node": n.split(".", 2)[-1], "seconds": round(seconds[n], 1)}
            for n in chain
            if seconds[n] >= share * length
        ],
    }


def _ran_graph(graph: nx.DiGraph, ran: set[str]) -> nx.DiGraph:
    """The graph among the nodes that ran, with an edge wherever a chain of nodes that
    did not run joined two (as dbt's own subset of the graph keeps them)."""
    out = nx.DiGraph()
    out.add_nodes_from(ran)
    for node in ran:
        stack, seen = list(graph.predecessors(node)), set()
        while stack:
            parent = stack.pop()
            if parent in seen:
                continue
            seen.add(parent)
            if parent in ran:
                out.add_edge(parent, node)
            else:
                stack.extend(graph.predecessors(parent))
    return out


def replay(graph: nx.DiGraph, seconds: dict[str, float], threads: int, priority: dict) -> float:
    """When the last node would end if ``threads`` workers each took the ready node of
    lowest ``priority`` whenever one was free, every node taking its ``seconds``
    (a node is ready once all its parents in ``graph`` have ended)."""
    waiting = {node: graph.in_degree(node) for node in graph}
    ready = [(priority[node], node) for node, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    running: list[tuple[float, str]] = []
    now = 0.0
    while ready or running:
        while ready and len(running) < max(threads, 1):
            _, node = heapq.heappop(ready)
            heapq.heappush(running, (now + seconds[node], node))
        now, node = heapq.heappop(running)
        for child in graph.successors(node):
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, (priority[child], child))
    return now


def _epoch(iso: str) -> float:
    """run_results times are UTC ISO 8601 with a Z."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _layer_of_nodes(manifest_path: Path) -> dict[str, str]:
    """unique_id -> report layer, from the file path of the node (a test's or unit
    test's: of the model it tests)."""
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        return {}
    paths = {uid: node.get("original_file_path", "") for uid, node in manifest.get("nodes", {}).items()}

    def layer(path: str) -> str:
        for name, folders in LAYERS:
            if folders and path.startswith(folders):
                return name
        return LAYERS[-1][0]

    out = {}
    for uid, node in [*manifest.get("nodes", {}).items(), *manifest.get("unit_tests", {}).items()]:
        path = paths.get(uid, "")
        if node.get("resource_type") in ("test", "unit_test"):
            tested = node.get("attached_node") or next(iter(node.get("depends_on", {}).get("nodes", [])), "")
            path = paths.get(tested, "")
        out[uid] = layer(path)
    return out


def _results(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return []


def _slowest(rows: list[dict], n: int = 5) -> list[dict]:
    """The n slowest nodes (models, tests, snapshots) of run_results rows."""
    rows = sorted(rows, key=lambda r: r.get("execution_time") or 0, reverse=True)[:n]
    return [
        {"node": r["unique_id"].split(".", 2)[-1], "seconds": round(r["execution_time"], 1)} for r in rows
    ]


def _failures(rows: list[dict]) -> list[str]:
    return [
        f"{r['unique_id'].split('.', 2)[-1]}: {r['status']}"
        for r in rows
        if r.get("status") in ("error", "fail", "skipped")
    ]


def _build_rows(build: dict, label: str) -> list[str]:
    """The build's wall clock and peak memory, dbt's own share, then each layer's
    node-seconds (with two threads, nodes run side by side: the node-seconds of the
    layers add up to more than the wall clock)."""
    failed = "" if build["ok"] else " (failed)"
    return [
        "| step | wall clock (s) | node-seconds | peak memory (GiB) |",
        "| --- | ---: | ---: | ---: |",
        f"| **{label}{failed}** | **{build['seconds']}** | | **{build['peak_rss_gib']}** |",
        f"| dbt start-up, parse and run end (no node running) | {build['dbt_overhead_seconds']} | | |",
        *[f"| layer: {r['layer']} ({r['nodes']} nodes) | | {r['node_seconds']} | |" for r in build["layers"]],
        "",
        "Running when the resident memory peaked (sampled twice a second): "
        + (", ".join(f"`{n}`" for n in build.get("running_at_peak") or []) or "not sampled")
        + ".",
    ]


def _bound_rows(build: dict) -> list[str]:
    """The build's two floors (bounds) and its critical path's larger nodes."""
    b = build.get("bounds")
    if not b:
        return ["No graph (target/graph.gpickle) to find the critical path in.", ""]
    return [
        f"What bounds it (from these node times): the critical path, the longest chain of"
        f" node times through dbt's graph, is {b['critical_path_seconds']} s; the node-seconds"
        f" over {b['threads']} threads are {b['throughput_seconds']} s. No order of the nodes"
        f" finishes before the larger of the two; the build took {build['seconds']} s."
        f" Replayed with these node times, dbt's order (depth in the graph, then name)"
        f" ends at {b['replay_dbt_order_seconds']} s and critical path first at"
        f" {b['replay_critical_path_first_seconds']} s."
        f" The critical path's nodes of {CRITICAL_PATH_SHARE:.0%} of it or more, in order:",
        "",
        "| node | seconds |",
        "| --- | ---: |",
        *[f"| {n['node']} | {n['seconds']} |" for n in b["critical_path"]],
        "",
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
    build = report["build"]
    lines = [
        f"### Scale benchmark: {report['customers']:,} customers ({report['format']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}, "
        f"DuckDB {m['duckdb']}; dbt threads {report['threads']}; "
        + (
            f"memory budget {report['memory_limit']} (C360_MEMORY_LIMIT), of which DuckDB's memory_limit "
            f"{report.get('duckdb_memory_limit', 'not recorded')} (c360.memory)."
            if report.get("memory_limit")
            else "DuckDB memory_limit default (80% of memory)."
        ),
        "",
        "| raw file | rows |",
        "| --- | ---: |",
        *[f"| {t} | {n:,} |" for t, n in s["rows"].items()],
        "",
    ]
    if report.get("generate_seconds") is not None:
        lines += [f"Generating the raw data (not part of the build): {report['generate_seconds']} s.", ""]
    label = "`dbt build`, models and tests"
    if daily:
        label += f" (every day but {daily['day']})"
    lines += [
        f"Scan floor (DuckDB reads every column of every raw file once): {s['seconds']} s.",
        "",
        *_build_rows(build, label),
        "",
        f"Build = {report['floor_multiple']}× the scan floor.",
        "",
        *_bound_rows(build),
        "Slowest nodes per layer (dbt run_results):",
        "",
        *_slowest_rows(build["layers"]),
    ]
    layers = list(build["layers"])
    if daily:
        layers += daily["build"]["layers"]
        new_rows = ", ".join(f"{t} {n:,}" for t, n in daily["rows"].items())
        lines += [
            f"Daily run: the rows of {daily['day']} arrive as new files ({new_rows} rows);"
            " `dbt build` again on the built warehouse:",
            "",
            *_build_rows(daily["build"], "daily `dbt build`, models and tests"),
            "",
            *_bound_rows(daily["build"]),
            "Slowest nodes of the daily run:",
            "",
            *_slowest_rows(daily["build"]["layers"]),
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
    else:
        # reused raw data: the customers it was generated for, not the --customers default
        manifest = raw_dir / "_manifest.json"
        if manifest.exists():
            customers = json.loads(manifest.read_text()).get("config", {}).get("customers", customers)
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
    build = time_build(project, build_raw, fmt, db, work, threads, memory_limit)
    daily_report = None
    if daily:
        for path in sorted((build_raw / "next").iterdir()):
            path.rename(build_raw / path.name)
        daily_report = {
            **split,
            "build": time_build(project, build_raw, fmt, db, work, threads, memory_limit, "dbt_build_daily"),
        }
    report = {
        "customers": customers,
        "raw_dir": str(raw_dir),
        "format": fmt,
        "threads": threads,
        "memory_limit": memory_limit,
        "duckdb_memory_limit": memory.duckdb_share_of(memory_limit) if memory_limit else None,
        "machine": machine(),
        "generate_seconds": generate_seconds,
        "scan_floor": floor,
        "build": build,
        "floor_multiple": round(build["seconds"] / floor["seconds"], 1) if floor["seconds"] else None,
        "daily": daily_report,
    }
    (work / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (work / "report.md").write_text(markdown(report))
    return report


def generated_warehouse(
    customers: int, work: Path, project: Path, threads: int, memory_limit: str | None = None
) -> dict:
    """Generate ``customers`` with their truth into ``work/raw`` (unless it is there)
    and build ``work/warehouse.duckdb`` from it: for the reports that compare a
    warehouse with the truth (predictions, experiments)."""
    work.mkdir(parents=True, exist_ok=True)
    raw = work / "raw"
    generate_seconds = None
    if not (raw / "_manifest.json").is_file():
        started = time.perf_counter()
        generate(str(raw), GeneratorConfig(customers=customers), fmt="csv", truth=True, log=lambda _: None)
        generate_seconds = round(time.perf_counter() - started, 1)
    db = work / "warehouse.duckdb"
    db.unlink(missing_ok=True)
    build = time_build(project, raw, "csv", db, work, threads, memory_limit)
    if not build["ok"]:
        raise RuntimeError(f"dbt build failed: see {work / 'dbt_build.log'}")
    return {
        "customers": json.loads((raw / "_manifest.json").read_text())["config"]["customers"],
        "db": db,
        "truth": raw / "_truth",
        "generate_seconds": generate_seconds,
        "build_seconds": build["seconds"],
    }
