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

step "assemble test data"
python -m c360_tools.testdata --raw "$C360_RAW_DIR" --garbage tests/data/garbage --out target/test_raw
# every dbt step below but the lint (parse, build, docs) runs with the same settings,
# so the build re-uses the parse (dbt parses in full when the profile changes; the
# lint runs first, as sqlfluff's dbt templater leaves its own parse behind)
export C360_RAW_DIR="$PWD/target/test_raw" C360_DUCKDB_PATH=target/test.duckdb
export C360_EXPORT_DIR="$PWD/target/test_exports"

step "sqlfluff lint"
# against an empty database: macros that read seeds at compile time take their
# fallback, and is_incremental() is false, so every file is linted as a full build
C360_DUCKDB_PATH=target/lint.duckdb sqlfluff lint models tests analyses snapshots --processes 2 2>&1 | tee target/sqlfluff.log
# a file dbt could not compile is skipped by sqlfluff with only a warning: treat it as a failure
if grep -q "Skipped file" target/sqlfluff.log; then echo "sqlfluff skipped a file (see above)" >&2; exit 1; fi

step "dbt parse + dbt-bouncer"
dbt parse --quiet
.venv-tools/bin/dbt-bouncer run --config-file dbt-bouncer.yml
# the README's architecture diagram is drawn from the manifest: it must be current
python -m c360_tools.dag --manifest target/manifest.json --readme README.md --check

step "dbt build on the test data"
rm -rf target/test.duckdb target/test_exports
mkdir -p target/test_exports
dbt build

step "dbt docs generate"
dbt docs generate --quiet

step "MetricFlow: semantic models and metrics validated against the test warehouse"
mf validate-configs \
    > target/mf_validate.log 2>&1 || { cat target/mf_validate.log; exit 1; }
# the log is a spinner's output: keep its verdict lines
grep -o "Successfully validated[^(]*(ERRORS: [0-9]*, FUTURE_ERRORS: [0-9]*, WARNINGS: [0-9]*)" target/mf_validate.log
if grep -q "ERRORS: [1-9]" target/mf_validate.log; then echo "mf validate-configs found errors" >&2; exit 1; fi
grep -q "Successfully validated metrics against data warehouse" target/mf_validate.log

step "the same data built again, into a new file, while a BI reader loop reads the served copy"
# build 1 is published (c360.serving), a reader polls the served file from then on,
# the test data is built a second time into target/test_again.duckdb (its data
# tests ran on build 1) and published over it; pytest then requires the reader to have
# seen two whole versions and no error, and both builds to agree on every clustering,
# outlier, persona and segment member
rm -rf target/serving target/test_again.duckdb target/test_again_exports
mkdir -p target/serving target/test_again_exports
python -m c360.serving publish --warehouse target/test.duckdb --out target/serving/c360_bi.duckdb
python -m c360.serving watch --served target/serving/c360_bi.duckdb --stop-file target/serving/.stop \
    --report target/serving/watch.json &
watcher=$!
trap 'touch target/serving/.stop' EXIT
C360_DUCKDB_PATH=target/test_again.duckdb C360_EXPORT_DIR="$PWD/target/test_again_exports" dbt build --quiet --target-path target/again \
    --exclude-resource-type test unit_test
python -m c360.serving publish --warehouse target/test_again.duckdb --out target/serving/c360_bi.duckdb
touch target/serving/.stop
wait "$watcher"

step "pytest"
# tests name their warehouses themselves (C360_TEST_*): none writes the shared one by default
unset C360_DUCKDB_PATH
# two workers, each test file on one of them: most of the time goes to dbt builds,
# whose Python overhead keeps one core busy each
C360_TEST_DB=target/test.duckdb C360_TEST_RAW_DIR="$PWD/target/test_raw" C360_TEST_EXPORT_DIR=target/test_exports \
    C360_TEST_DB_AGAIN=target/test_again.duckdb C360_TEST_SERVING_REPORT=target/serving/watch.json \
    python -m pytest -n 2 --dist loadfile --durations=25
