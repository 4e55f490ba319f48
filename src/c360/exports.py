"""Housekeeping for the audience exports.

dbt-duckdb writes each audience as a Hive-partitioned folder
(`<export_dir>/<model>/segment_id=<id>/data_0.csv`). DuckDB's COPY replaces the
partitions it writes but leaves the others, so a segment that is no longer routed
to a destination, or has no consenting member left, would keep its old file, with
people who have since withdrawn consent or asked to be erased. Before the exports
are written, every partition folder of the previous build is removed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd


def clear_audience_folders(export_dir: str | Path, models: list[str]) -> pd.DataFrame:
    """Remove the partition folders of each export model under `export_dir`; one row
    per model with the number of files removed. Missing folders are fine."""
    root = Path(export_dir)
    rows = []
    for name in models:
        folder = root / name
        files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
        if folder.is_dir():
            shutil.rmtree(folder)
        rows.append({"export_model": name, "export_folder": str(folder), "files_removed": len(files)})
    return pd.DataFrame(rows, columns=["export_model", "export_folder", "files_removed"]).astype(
        {"export_model": "string", "export_folder": "string", "files_removed": "int64"}
    )
