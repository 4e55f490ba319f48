"""A Python model keeps its stored rows when nothing it was computed from changed
(c360.reuse), and fits again when anything did or when told to."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest
from dbt_runner import dbt

from c360 import predictions, reuse, settings

DTYPES = {"metric": "str", "value": "float64", "bucket": "Int64"}
THIS = SimpleNamespace(database="memory", schema="main", identifier="evaluated")


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"customer_id": ["a", "b", "c"], "cutoff_date": ["2026-01-01"] * 3, "spend": [1.5, None, 3.0]}
    )


def test_the_fingerprint_changes_with_any_value_setting_or_column_and_only_then():
    base = reuse.fingerprint([_frame()], {"k": 1}, [predictions])
    assert base == reuse.fingerprint([_frame()], {"k": 1}, [predictions])
    changed_value = _frame().assign(spend=[1.5, None, 3.01])
    changed_null = _frame().assign(spend=[1.5, 0.0, 3.0])
    renamed = _frame().rename(columns={"spend": "revenue"})
    retyped = _frame().assign(spend=_frame()["spend"].astype("float32"))
    others = [
        reuse.fingerprint([changed_value], {"k": 1}, [predictions]),
        reuse.fingerprint([changed_null], {"k": 1}, [predictions]),
        reuse.fingerprint([renamed], {"k": 1}, [predictions]),
        reuse.fingerprint([retyped], {"k": 1}, [predictions]),
        reuse.fingerprint([_frame().iloc[:2]], {"k": 1}, [predictions]),
        reuse.fingerprint([_frame()], {"k": 2}, [predictions]),
        reuse.fingerprint([_frame()], {"k": 1}, [predictions, settings]),
    ]
    assert len({base, *others}) == len(others) + 1


def test_the_relation_fingerprint_ignores_row_order_and_changes_with_any_row_column_or_type():
    con = duckdb.connect()
    frame = _frame()
    con.register("frame", frame)
    relation = con.sql("select * from frame")
    base = reuse.relation_fingerprint([relation], {"k": 1}, [predictions])
    assert base == reuse.relation_fingerprint([relation.order("spend desc")], {"k": 1}, [predictions])
    others = [
        con.sql("select * replace (spend * 1.01 as spend) from frame"),
        con.sql("select * replace (coalesce(spend, 0.0) as spend) from frame"),
        con.sql("select customer_id, cutoff_date, spend as revenue from frame"),
        con.sql("select * replace (cast(spend as float) as spend) from frame"),
        con.sql("select * from frame where customer_id <> 'c'"),
        # a repeated row must not cancel out
        con.sql("select * from frame union all select * from frame where customer_id = 'a'"),
    ]
    keys = [reuse.relation_fingerprint([other], {"k": 1}, [predictions]) for other in others]
    keys += [
        reuse.relation_fingerprint([relation], {"k": 2}, [predictions]),
        reuse.relation_fingerprint([relation], {"k": 1}, [predictions, settings]),
    ]
    assert len({base, *keys}) == len(keys) + 1


def _stored(con, rows: pd.DataFrame, key: str) -> None:
    con.register("incoming", reuse.with_fingerprint(rows, key))
    con.execute("create or replace table evaluated as select * from incoming").fetchall()
    con.unregister("incoming")


def test_stored_rows_are_kept_only_for_the_same_fingerprint():
    con = duckdb.connect()
    rows = pd.DataFrame({"metric": ["roc_auc", "lift"], "value": [0.7, 2.0], "bucket": [None, 3]}).astype(
        DTYPES
    )
    assert reuse.stored_rows(con, THIS, "k1", DTYPES) is None  # no table yet
    con.execute("create table evaluated as select 'roc_auc' as metric, 0.7 as value, 1 as bucket").fetchall()
    assert reuse.stored_rows(con, THIS, "k1", DTYPES) is None  # a table from before the fingerprint
    _stored(con, rows, "k1")
    kept = reuse.stored_rows(con, THIS, "k1", DTYPES)
    pd.testing.assert_frame_equal(
        kept.sort_values("metric").reset_index(drop=True),
        reuse.with_fingerprint(rows, "k1").sort_values("metric").reset_index(drop=True),
    )
    assert reuse.stored_rows(con, THIS, "k2", DTYPES) is None
    for refit in (True, "True", "true"):
        assert reuse.stored_rows(con, THIS, "k1", DTYPES, refit=refit) is None
    assert reuse.stored_rows(con, THIS, "k1", DTYPES, refit="False") is not None
    # rows of two fingerprints (a table written some other way): never half kept
    con.execute("insert into evaluated values ('pr_auc', 0.4, null, 'k2')").fetchall()
    assert reuse.stored_rows(con, THIS, "k1", DTYPES) is None


@pytest.fixture(scope="module")
def scratch(warehouse_copy):
    db = warehouse_copy("reuse")
    return db.parent, db


def _run(scratch, *extra: str, model: str = "int_propensity_models_evaluated"):
    work, db = scratch
    result = dbt(
        ["run", "--select", model, *extra],
        Path(os.environ["C360_TEST_RAW_DIR"]),
        db,
        work / "target",
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def _query(db: Path, statement: str, read_only: bool = True) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=read_only)
    try:
        return con.execute(statement).fetchall()
    finally:
        con.close()


def _report(db: Path) -> list[tuple]:
    return _query(
        db,
        "select * from int_propensity_models_evaluated"
        " order by target, method, metric, bucket nulls first, feature nulls first",
    )


def test_the_propensity_evaluation_is_kept_when_its_inputs_are_unchanged_and_refit_on_request(scratch):
    work, db = scratch
    # the build's table, or a refit if the code changed since the build
    _run(scratch)
    built = _report(db)
    assert built and len({row[-1] for row in built}) == 1
    _query(
        db, "update int_propensity_models_evaluated set value = -1 where metric = 'roc_auc'", read_only=False
    )
    # same inputs: the stored rows stay, the edit with them (nothing was fitted)
    _run(scratch)
    kept = _report(db)
    assert [row[5] for row in kept if row[2] == "roc_auc"] == [-1.0] * sum(
        row[2] == "roc_auc" for row in kept
    )
    # told to refit: the fit gives back the build's report exactly (deterministic)
    _run(scratch, "--vars", "{refit_models: true}")
    assert _report(db) == built


def _fitted(db: Path) -> list[tuple]:
    return _query(
        db,
        "select target, model_version, fitted_model is not null, inputs_fingerprint"
        " from int_propensity_models_fitted order by target",
    )


def test_the_fitted_models_are_kept_while_the_evaluation_is_unchanged(scratch):
    work, db = scratch
    _run(scratch, model="int_propensity_models_fitted")
    built = _fitted(db)
    assert [row[0] for row in built] == ["churn", "purchase"] and all(row[2] for row in built)
    _query(db, "update int_propensity_models_fitted set model_version = 'edited'", read_only=False)
    # the evaluation's rows, settings and code unchanged: the stored models stay
    _run(scratch, model="int_propensity_models_fitted")
    assert {row[1] for row in _fitted(db)} == {"edited"}
    # an evaluation row changed (as a refit on new labelled rows would): fitted again
    _query(
        db,
        "update int_propensity_models_evaluated set value = value + 1 where metric = 'brier_score'",
        read_only=False,
    )
    _run(scratch, model="int_propensity_models_fitted")
    again = _fitted(db)
    assert [row[:3] for row in again] == [row[:3] for row in built]
    assert again[0][3] != built[0][3]
