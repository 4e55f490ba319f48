"""The semantic layer answers like the marts: MetricFlow's revenue, orders, active
customers and email open rate per year equal the same figures computed in SQL over
fct_orders and fct_email_engagement (mf query against the test warehouse)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pandas as pd
import pytest
from dbt_runner import PROJECT_DIR


@pytest.fixture(scope="module")
def mf_years(warehouse_path, warehouse_copy, tmp_path_factory) -> pd.DataFrame:
    if not shutil.which("mf"):
        pytest.skip("needs MetricFlow (mf): run through scripts/test.sh")
    work = tmp_path_factory.mktemp("mf")
    out = work / "years.csv"
    # MetricFlow opens the file through dbt's adapter, for writing: give it a copy, as
    # other tests hold the warehouse open for reading (same file name: MetricFlow's SQL
    # names the catalog, which DuckDB takes from the file name)
    copy = warehouse_copy("mf_warehouse", warehouse_path.name)
    env = os.environ | {"C360_DUCKDB_PATH": str(copy), "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    metrics = "revenue,orders,active_customers,email_open_rate"
    command = ["mf", "query", "--metrics", metrics, "--group-by", "metric_time__year"]
    done = subprocess.run(
        [*command, "--csv", str(out), "--quiet"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    frame = pd.read_csv(out)
    frame = frame[frame["metric_time__year"].notna()].copy()
    frame["year"] = pd.to_datetime(frame["metric_time__year"]).dt.year.astype("int64")
    return frame.set_index("year").sort_index()


def test_metrics_equal_the_marts(warehouse, mf_years):
    orders = (
        warehouse.execute(
            "select year(order_date) as year, sum(net_revenue_reporting)::double as revenue,"
            " count(*) filter (where is_revenue) as orders,"
            " count(distinct customer_id) filter (where is_revenue) as active_customers"
            " from fct_orders group by 1"
        )
        .df()
        .set_index("year")
        .sort_index()
    )
    email = (
        warehouse.execute(
            "select year(event_date) as year, count(*) filter (where event_type = 'open')::double"
            " / nullif(count(*) filter (where event_type = 'send'), 0) as email_open_rate"
            " from fct_email_engagement group by 1"
        )
        .df()
        .set_index("year")
    )
    orders.index = orders.index.astype("int64")
    email.index = email.index.astype("int64")
    got = mf_years.loc[orders.index]
    assert len(orders) >= 2
    pd.testing.assert_series_equal(got["revenue"], orders["revenue"], check_names=False, rtol=1e-9)
    assert (got["orders"].astype(int) == orders["orders"]).all()
    assert (got["active_customers"].astype(int) == orders["active_customers"]).all()
    rates = mf_years["email_open_rate"].dropna()
    pd.testing.assert_series_equal(
        rates, email.loc[rates.index, "email_open_rate"], check_names=False, rtol=1e-9
    )
