"""Shared fixtures. Tests over the built test warehouse need scripts/test.sh to have
built it (it sets C360_TEST_DB); run alone, they are skipped with that reason."""

from __future__ import annotations

import os
import shutil
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
def warehouse_copy(warehouse_path, tmp_path_factory):
    """A writable copy of the test warehouse in a new scratch folder, for tests that
    rebuild or edit models while others read the shared file:
    ``warehouse_copy("segments")`` or ``warehouse_copy("mf", file_name)``."""

    def copy(folder: str, file_name: str = "copy.duckdb") -> Path:
        path = tmp_path_factory.mktemp(folder) / file_name
        shutil.copyfile(warehouse_path, path)
        return path

    return copy


@pytest.fixture(scope="session")
def warehouse(warehouse_path):
    con = duckdb.connect(str(warehouse_path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return PROJECT_DIR / "data" / "sample"
