"""The scale benchmark's reading of dbt's run_results: dbt's own share of the wall
clock and the nodes running when memory peaked."""

from __future__ import annotations

from c360_tools.benchmarks.scale import _epoch, _timing_summary


def _node(name, compile_at, execute_from, execute_to):
    return {
        "unique_id": f"model.c360.{name}",
        "timing": [
            {"name": "compile", "started_at": compile_at, "completed_at": execute_from},
            {"name": "execute", "started_at": execute_from, "completed_at": execute_to},
        ],
    }


def test_overhead_and_nodes_at_peak():
    results = [
        _node("a", "2026-12-02T08:00:10Z", "2026-12-02T08:00:11Z", "2026-12-02T08:00:40Z"),
        _node("b", "2026-12-02T08:00:20Z", "2026-12-02T08:00:21Z", "2026-12-02T08:00:50Z"),
        {"unique_id": "operation.c360.hook", "timing": []},
    ]
    started = _epoch("2026-12-02T08:00:00Z")
    # 10 s before the first node, 5 s after the last
    overhead, at_peak = _timing_summary(results, started, 55.0, _epoch("2026-12-02T08:00:30Z"))
    assert overhead == 15.0
    assert at_peak == ["a", "b"]
    # a compile phase does not count as running; no sample, no nodes
    assert _timing_summary(results, started, 55.0, _epoch("2026-12-02T08:00:20.5Z"))[1] == ["a"]
    assert _timing_summary(results, started, 55.0, None)[1] == []
    assert _timing_summary([], started, 55.0, None) == (None, [])
