"""Independent pieces of one Python model's work side by side.

A dbt Python model runs on one of dbt's threads; its fits run on one OpenMP and one
BLAS thread (threadpoolctl), the same answer on any machine and no spinning threads
competing with the SQL model dbt runs beside it. Where the work splits into pieces that
share nothing (a target's models, a candidate's fit, a method's evaluation), running
the pieces on Python threads uses the cores a single piece left idle: scikit-learn's
Cython loops and numpy's large operations release the GIL. Each piece computes exactly
what it computed alone (its own seeded generator, one thread inside), and the results
come back in the order of the pieces, so the output does not depend on the number of
workers.

Written here: concurrent.futures gives the pool, threadpoolctl the limits; what neither
does is set OpenMP's limit per worker (OpenMP's thread count is a per-thread setting, so
a limit set by the calling thread does not reach the pool's threads; BLAS's is
process-wide and is set once around the pool).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from threadpoolctl import threadpool_limits

T = TypeVar("T")
R = TypeVar("R")


def side_by_side(work: Callable[[T], R], pieces: Iterable[T], workers: int | None = None) -> list[R]:
    """``[work(p) for p in pieces]``, the pieces on up to ``workers`` threads (default:
    the machine's cores), each on one OpenMP and one BLAS thread."""
    pieces = list(pieces)
    workers = max(1, min(len(pieces), workers or os.cpu_count() or 1))

    def one(piece: T) -> R:
        with threadpool_limits(1, user_api="openmp"):
            return work(piece)

    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, pieces))
