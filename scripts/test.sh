#!/usr/bin/env bash
# Every check and test: ruff, dbt-bouncer (project conventions), sqlfluff, a full
# `dbt build` on the test data (the sample plus hand-written garbage rows), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
mkdir -p target
step() { printf '\n=== %s\n' "$*"; }

step "ruff"
ruff check src tests
ruff format --check src tests

step "dbt parse + dbt-bouncer"
C360_DUCKDB_PATH=target/lint.duckdb dbt parse --quiet
dbt-bouncer run --config-file dbt-bouncer.yml

step "sqlfluff lint"
C360_DUCKDB_PATH=target/lint.duckdb sqlfluff lint models tests analyses snapshots --processes 2 2>&1 | tee target/sqlfluff.log
# a file dbt could not compile is skipped by sqlfluff with only a warning: treat it as a failure
if grep -q "Skipped file" target/sqlfluff.log; then echo "sqlfluff skipped a file (see above)" >&2; exit 1; fi

step "assemble test data"
python -m c360.testdata --raw "$C360_RAW_DIR" --garbage tests/data/garbage --out target/test_raw

step "dbt build on the test data"
rm -rf target/test.duckdb target/test_exports
mkdir -p target/test_exports
export C360_EXPORT_DIR="$PWD/target/test_exports"
C360_RAW_DIR="$PWD/target/test_raw" C360_DUCKDB_PATH=target/test.duckdb dbt build

step "dbt docs generate"
C360_RAW_DIR="$PWD/target/test_raw" C360_DUCKDB_PATH=target/test.duckdb dbt docs generate --quiet

step "pytest"
# two workers, each test file on one of them: most of the time goes to dbt builds,
# whose Python overhead keeps one core busy each
C360_TEST_DB=target/test.duckdb C360_TEST_RAW_DIR="$PWD/target/test_raw" C360_TEST_EXPORT_DIR=target/test_exports \
    python -m pytest -n 2 --dist loadfile
