"""On the test warehouse (sample + garbage rows): every garbage row is quarantined
with the expected reason or kept clean, and every raw table reconciles."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "garbage" / "_expected.csv"
CLEAN_MODELS = {
    "crm_contacts": ("stg_crm__contacts", "contact_id"),
    "orders": ("stg_shop__orders", "order_id"),
    "order_items": ("stg_shop__order_items", "order_item_id"),
    "web_events": ("stg_web__events", "event_id"),
    "email_events": ("stg_email__events", "email_event_id"),
    "pos_transactions": ("stg_pos__transactions", "transaction_id"),
    "products": ("stg_shop__products", "product_id"),
    "experiment_assignments": ("stg_experiments__assignments", "experiment_id"),
}


def _expectations():
    with open(EXPECTED, newline="") as fh:
        return [tuple(r.values()) for r in csv.DictReader(fh)]


@pytest.mark.parametrize("source_table,marker,expected", _expectations())
def test_garbage_row_lands_where_expected(warehouse, source_table, marker, expected):
    if expected == "clean":
        model, key = CLEAN_MODELS[source_table]
        found = warehouse.execute(f"select count(*) from {model} where {key} = ?", [marker]).fetchone()[0]
        assert found == 1, f"{marker} should be clean in {model}"
    else:
        reasons = warehouse.execute(
            "select quarantine_reasons from quarantine_rows"
            " where source_table = ? and (raw_key = ? or raw_values like ?)",
            [source_table, marker, f"%{marker}%"],
        ).fetchall()
        assert reasons, f"{marker} not quarantined"
        assert any(expected in r[0].split(",") for r in reasons), (marker, reasons)


def test_every_raw_table_reconciles(warehouse):
    rows = warehouse.execute(
        "select source_table, raw_rows, clean_rows, quarantined_rows, duplicate_rows_removed"
        " from raw_row_reconciliation"
    ).fetchall()
    assert len(rows) == 11  # nine raw tables and the optional fx_rates and experiment_assignments
    for table, raw, clean, quarantined, duplicates in rows:
        assert raw == clean + quarantined + duplicates, table


def test_reconciliation_counts_match_the_raw_files(warehouse):
    """The raw row count in the reconciliation equals the records in the table's raw
    files, counted by Python's own CSV reader (malformed lines are records too)."""
    import os

    raw_dir = Path(os.environ["C360_TEST_RAW_DIR"])
    for table, raw in warehouse.execute(
        "select source_table, raw_rows from raw_row_reconciliation"
    ).fetchall():
        in_files = 0
        for path in raw_dir.glob(f"{table}.*csv"):
            with open(path, newline="", encoding="utf-8-sig") as fh:
                in_files += sum(1 for _ in csv.reader(fh)) - 1
        assert raw == in_files, table


def test_malformed_lines_are_quarantined_not_fatal(warehouse):
    """Each malformed garbage line is one quarantined record with DuckDB's reason."""
    rows = warehouse.execute(
        "select source_table, raw_file, error_type from base_run__malformed_raw_lines order by 1, 2, 3"
    ).fetchall()
    assert rows == [
        ("orders", "orders.csv", "missing_columns"),
        ("pos_transactions", "pos_transactions.csv", "unquoted_value"),
        ("pos_transactions", "pos_transactions.windows.csv", "too_many_columns"),
        ("web_events", "web_events.csv", "too_many_columns"),
    ]
    counted = warehouse.execute("select sum(malformed_rows) from raw_row_reconciliation").fetchone()[0]
    assert counted == len(rows)
