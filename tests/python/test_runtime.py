"""Python models run one at a time (c360.runtime): the lock excludes a second holder,
and every Python model of the project runs its body under it."""

from __future__ import annotations

import ast
import threading
import time

from dbt_runner import PROJECT_DIR

from c360.runtime import one_at_a_time


def test_a_second_holder_waits_for_the_first():
    inside, overlaps = [], []

    def hold():
        with one_at_a_time():
            inside.append(1)
            overlaps.append(len(inside))
            time.sleep(0.05)
            inside.pop()

    threads = [threading.Thread(target=hold) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [1, 1, 1, 1]


def _locked(path) -> bool:
    """The model function's statements after its config call and imports are one
    `with one_at_a_time():` block and the return of what it computed (dbt requires the
    function's last statement to be its return)."""
    function = next(
        node
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name == "model"
    )
    rest = [
        node
        for node in function.body
        if not isinstance(node, ast.Import | ast.ImportFrom)
        and not (isinstance(node, ast.Expr) and "dbt.config(" in ast.unparse(node))
    ]
    return (
        len(rest) == 2
        and isinstance(rest[0], ast.With)
        and ast.unparse(rest[0].items[0].context_expr) == "one_at_a_time()"
        and isinstance(rest[1], ast.Return)
        and isinstance(rest[1].value, ast.Name)
    )


def test_every_python_model_runs_under_the_lock():
    models = sorted((PROJECT_DIR / "models").rglob("*.py"))
    assert len(models) >= 10
    assert [str(path.relative_to(PROJECT_DIR)) for path in models if not _locked(path)] == []
