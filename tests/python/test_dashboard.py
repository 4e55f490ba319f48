"""The BI dashboard picture is drawn from the published BI copy alone."""

from __future__ import annotations

from c360 import serving
from c360_tools import dashboard


def test_dashboard_renders_from_the_published_copy(warehouse, warehouse_path, tmp_path):
    served = tmp_path / "c360_bi.duckdb"
    serving.publish(warehouse_path, served)
    data = dashboard.frames(served)
    assert all(len(frame) > 0 for frame in data.values())
    total = warehouse.execute(
        "select sum(net_revenue_reporting)::double from fct_orders where is_revenue"
    ).fetchone()[0]
    assert abs(data["revenue"]["net_revenue"].sum() - total) < 0.01
    png = dashboard.render(served, tmp_path / "dashboard.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
