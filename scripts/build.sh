#!/usr/bin/env bash
# The main job: set up, then `dbt build` (seeds, models, snapshots, tests) over the
# raw files in C360_RAW_DIR (default: the bundled sample in data/sample) into the
# DuckDB file C360_DUCKDB_PATH (default: c360.duckdb). Extra arguments go to dbt build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
dbt build "$@"
echo "Built into ${C360_DUCKDB_PATH:-c360.duckdb} from $C360_RAW_DIR"
