"""The run's memory budget and DuckDB's part of it.

``C360_MEMORY_LIMIT`` (for example ``6GB`` or ``5.5GiB``) is what the whole dbt process
may use: DuckDB's buffer pool, which fills up to its cap and keeps what it cached, and
beside it the Python models' pandas/numpy frames and the matcher's own DuckDB. So DuckDB
gets a share of the budget, not all of it: at 1,000,000 customers with DuckDB capped at
the whole 6 GB the process peaked at 8.70 GiB (two Python models' frames on top of a
full buffer pool; docs/benchmarks/scale-1000000-6gb.md).

One function computes the cap; the dbt-duckdb plugin applies it to the warehouse
connection (c360.duckdb_plugin) and the matcher to its own DuckDB (c360.linkage).
"""

from __future__ import annotations

import os
import re

# DuckDB's share of the budget; the rest is for the Python models' frames. At 0.5 the
# 1,000,000-customer daily run peaked at 6.34 GiB under a 6 GB budget, at 0.4 at 5.86 GiB
# (docs/benchmarks/scale-1000000-6gb-share04.md).
DUCKDB_SHARE = 0.4

_VALUE = re.compile(r"([0-9]+(?:[.][0-9]+)?) ?([KMGT])(i?)B")


def budget_bytes(value: str) -> int:
    """``6GB`` -> 6,000,000,000; ``6GiB`` -> 6 × 1024³. Anything else: ValueError."""
    match = _VALUE.fullmatch(value.strip())
    if not match:
        raise ValueError(
            f"C360_MEMORY_LIMIT must be a number and a unit such as 6GB or 5.5GiB; got {value!r}"
        )
    base = 1024 if match[3] else 1000
    return int(float(match[1]) * base ** ("KMGT".index(match[2]) + 1))


def duckdb_share_of(budget: str) -> str:
    """DuckDB's memory_limit under a budget, in megabytes: ``6GB`` -> ``2400MB`` at a share of 0.4."""
    return f"{int(budget_bytes(budget) * DUCKDB_SHARE) // 1_000_000}MB"


def duckdb_memory_limit() -> str | None:
    """DuckDB's memory_limit for this run (megabytes, e.g. ``2400MB``), or None when
    C360_MEMORY_LIMIT is unset (DuckDB keeps its default, 80% of the machine's memory)."""
    value = os.environ.get("C360_MEMORY_LIMIT", "").strip()
    if not value:
        return None
    return duckdb_share_of(value)
