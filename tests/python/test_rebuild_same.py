"""Same data, same answer: the test command builds the test data a second time, into a
new file (C360_TEST_DB_AGAIN), and every model output that comes from sampling or
fitting must be identical: the chosen clustering, every customer's cluster, the
outlier verdicts, the personas and the segment members."""

from __future__ import annotations

import os

import duckdb
import pandas as pd
import pytest

# table -> key it is compared on; every column of the table is compared
OUTPUTS = {
    "int_cluster_candidates_scored": ["algorithm", "k"],
    "customer_clusters": ["customer_id"],
    "customer_outliers": ["customer_id"],
    "cluster_profiles": ["cluster_id"],
    "customer_segments": ["customer_segment_id"],
}


@pytest.fixture(scope="module")
def again():
    path = os.environ.get("C360_TEST_DB_AGAIN")
    if not path:
        pytest.skip("C360_TEST_DB_AGAIN not set: run through scripts/test.sh")
    con = duckdb.connect(path, read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("table", sorted(OUTPUTS))
def test_second_build_gives_the_same_rows(warehouse, again, table):
    key = OUTPUTS[table]
    first = warehouse.execute(f"select * from {table}").df().sort_values(key).reset_index(drop=True)
    second = again.execute(f"select * from {table}").df().sort_values(key).reset_index(drop=True)
    assert len(first) > 0
    pd.testing.assert_frame_equal(first, second, check_exact=False, rtol=1e-9, atol=1e-12)
