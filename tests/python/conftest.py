"""Shared fixtures. Tests over the built test warehouse need scripts/test.sh to have
built it (it sets C360_TEST_DB); run alone, they are skipped with that reason."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from dbt_runner import PROJECT_DIR


@pytest.fixture(scope="session")
def warehouse_path() -> Path:
    path = os.environ.get("C360_TEST_DB")
    if not path:
        pytest.skip("C360_TEST_DB not set: run scripts/test.sh, which builds the test warehouse")
    return PROJECT_DIR / path


@pytest.fixture(scope="session")
def warehouse(warehouse_path):
    con = duckdb.connect(str(warehouse_path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return PROJECT_DIR / "data" / "sample"
