"""Run the project's dbt against a raw directory and a scratch warehouse, for tests
that need their own builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
# the segmentation var of dbt_project.yml: the model inputs and hyperparameters
SEGMENTATION_SETTINGS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["segmentation"]
# the predictions var: cutoffs, horizons, model inputs and hyperparameters
PREDICTION_SETTINGS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["predictions"]
# the tools environment (scripts/setup.sh): dbt-bouncer, and DuckDB 1.x with it
TOOLS_BIN = PROJECT_DIR / ".venv-tools" / "bin"


def dbt(args: list[str], raw_dir: Path, db_path: Path, target_dir: Path) -> subprocess.CompletedProcess:
    exports = Path(target_dir) / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "C360_RAW_DIR": str(raw_dir),
        "C360_DUCKDB_PATH": str(db_path),
        "C360_EXPORT_DIR": str(exports),
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
    }
    exe = Path(sys.executable).parent / "dbt"
    return subprocess.run(
        [str(exe), *args, "--target-path", str(target_dir)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def build_models(
    selector: str, raw_dir: Path, db_path: Path, target_dir: Path, extra: list[str] = ()
) -> None:
    """`dbt build` of the selection without data tests (the test command runs those)."""
    result = dbt(
        [
            "build",
            "--select",
            selector,
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
            *extra,
        ],
        raw_dir,
        db_path,
        target_dir,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def query(db_path: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
