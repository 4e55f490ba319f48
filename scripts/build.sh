#!/usr/bin/env bash
# The main job: set up, then `dbt build` (seeds, models, snapshots, tests) over the
# raw files in C360_RAW_DIR (default: the bundled sample in data/sample) into the
# DuckDB file C360_DUCKDB_PATH (default: c360.duckdb). Extra arguments go to dbt build.
# Unit tests are left to the test command (scripts/test.sh): their inputs are fixed
# rows, so running them again on every production build checks nothing new (dbt's
# own advice) and cost a second each.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
dbt build --exclude-resource-type unit_test "$@"
echo "Built into ${C360_DUCKDB_PATH:-c360.duckdb} from $C360_RAW_DIR"
# BI reads a published copy of the BI schema, replaced whole and only after a build
# that passed (set -e: a failed build stops above and the last good copy stays)
python -m c360.serving publish --warehouse "${C360_DUCKDB_PATH:-c360.duckdb}" \
    --out "${C360_SERVING_PATH:-serving/c360_bi.duckdb}"
