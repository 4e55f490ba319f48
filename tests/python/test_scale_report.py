"""The scale benchmark's reading of dbt's run_results: dbt's own share of the wall
clock, the nodes running when memory peaked, and what bounds the build (its critical
path through dbt's graph and its node-seconds over the threads)."""

from __future__ import annotations

import pickle

import networkx as nx

from c360_tools.benchmarks.scale import _epoch, _timing_summary, bounds, read_graph, replay


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


def _ran(seconds: dict) -> list[dict]:
    return [{"unique_id": node, "execution_time": t} for node, t in seconds.items()]


def test_bounds_follow_the_longest_chain_through_nodes_that_did_not_run():
    # source -> a -> ephemeral -> c, with a's test before c; b beside them
    graph = nx.DiGraph(
        [
            ("source.p.raw", "model.p.a"),
            ("model.p.a", "model.p.eph"),
            ("model.p.eph", "model.p.c"),
            ("model.p.a", "test.p.unique_a"),
            ("test.p.unique_a", "model.p.c"),
            ("source.p.raw", "model.p.b"),
        ]
    )
    seconds = {"model.p.a": 10.0, "test.p.unique_a": 3.0, "model.p.c": 5.0, "model.p.b": 14.0}
    got = bounds(graph, _ran(seconds), threads=2, share=0.2)
    # a, its test, then c: 18 s; b alone is shorter; 32 node-seconds over 2 threads
    assert got["critical_path_seconds"] == 18.0
    assert got["throughput_seconds"] == 16.0
    # the test (3 s) is under 20% of the path: listed are a and c, in order
    assert [n["node"] for n in got["critical_path"]] == ["a", "c"]
    # without the test edge, a then c (15 s) is still longer than b (14 s) or a's test
    graph.remove_edge("test.p.unique_a", "model.p.c")
    assert bounds(graph, _ran(seconds), threads=2)["critical_path_seconds"] == 15.0


def test_replays_take_nodes_in_dbts_order_and_critical_path_first():
    # three ready roots of one depth: a and b (5 s) sort before c_head, whose
    # child d_tail makes it the head of the critical path (20 s)
    graph = nx.DiGraph([("model.p.c_head", "model.p.d_tail")])
    graph.add_nodes_from(["model.p.a", "model.p.b"])
    seconds = {"model.p.a": 5.0, "model.p.b": 5.0, "model.p.c_head": 10.0, "model.p.d_tail": 10.0}
    got = bounds(graph, _ran(seconds), threads=2)
    assert (got["critical_path_seconds"], got["throughput_seconds"]) == (20.0, 15.0)
    # dbt's order: a and b first, c_head from 5 s, d_tail from 15 s
    assert got["replay_dbt_order_seconds"] == 25.0
    # critical path first: c_head and a first, d_tail from 10 s
    assert got["replay_critical_path_first_seconds"] == 20.0
    # one worker runs everything in turn, in any order
    assert replay(graph, seconds, 1, {n: n for n in graph}) == 30.0


def test_bounds_without_a_graph_or_results():
    assert bounds(None, _ran({"model.p.a": 1.0}), threads=2) is None
    assert bounds(nx.DiGraph([("model.p.a", "model.p.b")]), [], threads=2) is None


def test_read_graph_takes_only_a_graph(tmp_path):
    assert read_graph(tmp_path / "missing.gpickle") is None
    (tmp_path / "junk.gpickle").write_bytes(b"not a pickle")
    assert read_graph(tmp_path / "junk.gpickle") is None
    (tmp_path / "list.gpickle").write_bytes(pickle.dumps([1, 2]))
    assert read_graph(tmp_path / "list.gpickle") is None
    (tmp_path / "graph.gpickle").write_bytes(pickle.dumps(nx.DiGraph([("a", "b")])))
    assert list(read_graph(tmp_path / "graph.gpickle").edges) == [("a", "b")]
