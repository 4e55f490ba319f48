"""A one-page dashboard over the published BI copy, drawn with Altair: what a BI tool
shows from the ``main_bi`` schema alone (no personal data).

``python -m c360_tools.dashboard --served serving/c360_bi.duckdb --out docs/bi_dashboard.png``

Four panels: net revenue by month and sales channel (``bi_orders``), customers by
country and age band (``bi_customers``), customers per RFM segment (``bi_customer_rfm``)
and segment sizes at the latest run (``bi_segment_sizes``). The output is PNG (through
``vl-convert``), SVG or HTML by the file's extension.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd

from c360.serving import SCHEMA

AGE_BANDS = ["under 25", "25-34", "35-44", "45-54", "55-64", "65+", "unknown"]
QUERIES = {
    "revenue": f"""
        select date_trunc('month', order_date)::date as month, sales_channel,
               sum(net_revenue_reporting)::double as net_revenue
        from {SCHEMA}.bi_orders where is_revenue group by all order by month, sales_channel""",
    "customers": f"""
        select coalesce(country_code, 'unknown') as country, age_band, count(*) as customers
        from {SCHEMA}.bi_customers group by all order by country, age_band""",
    "rfm": f"""
        select rfm_segment, count(*) as customers
        from {SCHEMA}.bi_customer_rfm group by all order by customers desc, rfm_segment""",
    "segments": f"""
        select segment_id, members from {SCHEMA}.bi_segment_sizes
        where as_of_date = (select max(as_of_date) from {SCHEMA}.bi_segment_sizes)
          and run_started_at = (select max(run_started_at) from {SCHEMA}.bi_segment_sizes)
        order by members desc, segment_id""",
}


def frames(served: str | Path) -> dict[str, pd.DataFrame]:
    if not Path(served).is_file():
        raise FileNotFoundError(f"nothing published at {served}: run scripts/build.sh first")
    con = duckdb.connect(str(served), read_only=True)
    try:
        return {name: con.execute(sql).df() for name, sql in QUERIES.items()}
    finally:
        con.close()


def chart(data: dict[str, pd.DataFrame]) -> alt.VConcatChart:
    revenue = (
        alt.Chart(data["revenue"], title="Net revenue by month and channel (reporting currency)")
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title=None),
            y=alt.Y("sum(net_revenue):Q", title="net revenue"),
            color=alt.Color("sales_channel:N", title="channel"),
        )
        .properties(width=420, height=220)
    )
    customers = (
        alt.Chart(data["customers"], title="Customers by country and age band")
        .mark_bar()
        .encode(
            x=alt.X("customers:Q"),
            y=alt.Y("country:N", title=None, sort="-x"),
            color=alt.Color("age_band:N", title="age band", sort=AGE_BANDS),
        )
        .properties(width=420, height=220)
    )
    rfm = (
        alt.Chart(data["rfm"], title="Customers per RFM segment")
        .mark_bar()
        .encode(x=alt.X("customers:Q"), y=alt.Y("rfm_segment:N", title=None, sort="-x"))
        .properties(width=420, height=220)
    )
    segments = (
        alt.Chart(data["segments"], title="Segment sizes at the latest run")
        .mark_bar()
        .encode(x=alt.X("members:Q"), y=alt.Y("segment_id:N", title=None, sort="-x"))
        .properties(width=420, height=220)
    )
    top = alt.hconcat(revenue, customers).resolve_scale(color="independent")
    return alt.vconcat(top, alt.hconcat(rfm, segments)).properties(
        title="c360 — BI copy (main_bi, no personal data)"
    )


def render(served: str | Path, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure = chart(frames(served))
    if out.suffix == ".png":
        figure.save(str(out), scale_factor=1.5)
    elif out.suffix in {".svg", ".html"}:
        figure.save(str(out))
    else:
        raise ValueError(f"{out}: write .png, .svg or .html")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m c360_tools.dashboard", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--served", default="serving/c360_bi.duckdb", help="the published BI copy")
    parser.add_argument("--out", required=True, help="a .png, .svg or .html file")
    args = parser.parse_args(argv)
    try:
        path = render(args.served, args.out)
    except (OSError, ValueError, duckdb.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
