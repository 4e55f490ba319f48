"""c360.parallel: the pieces' results in their order, whatever the worker count, and
one OpenMP and one BLAS thread inside every worker."""

import numpy as np
from threadpoolctl import threadpool_info

from c360.parallel import side_by_side


def _threads(user_api: str) -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == user_api}


def test_results_come_back_in_the_order_of_the_pieces():
    def work(seed: int) -> float:
        return float(np.random.default_rng(seed).normal(size=1000).sum())

    alone = [work(seed) for seed in range(9)]
    assert side_by_side(work, range(9), workers=1) == alone
    assert side_by_side(work, range(9), workers=3) == alone
    assert side_by_side(work, []) == []


def test_each_worker_runs_one_openmp_and_one_blas_thread():
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

    seen = side_by_side(lambda _: (_openmp_effective_n_threads(), _threads("blas")), range(4), workers=2)
    assert all(openmp == 1 and blas <= {1} for openmp, blas in seen)
