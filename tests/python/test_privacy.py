"""Erasure and consent on the test warehouse (sample + garbage rows).

Erasure: no erased customer id, email (as given, as the CRM holds it, or SHA-256
hashed) or other identifier of an erased person remains in any mart, BI view,
snapshot or export file. The test first checks that the erased people do have data
upstream, so it would fail if the erasure filters were removed.

Consent: every exported person consented to the destination's purpose, while
routed segment members without that consent exist (so the filter is exercised)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from dbt_runner import PROJECT_DIR

# personal-data-free working layers that legitimately still hold the raw inputs
WORKING_PREFIXES = ("base_", "stg_", "int_")
EXPORTS = {
    "audience_email_platform": ("email", {"customer_id", "email", "first_name", "segment_id"}),
    "audience_ad_platform": ("advertising", {"hashed_email", "segment_id"}),
    "audience_onsite_personalisation": (
        "personalisation",
        {"customer_id", "is_primary_segment", "segment_id"},
    ),
}


@pytest.fixture(scope="module")
def export_dir() -> Path:
    path = os.environ.get("C360_TEST_EXPORT_DIR")
    if not path:
        pytest.skip("C360_TEST_EXPORT_DIR not set: run scripts/test.sh")
    return PROJECT_DIR / path


def _export_relation(export_dir: Path, model: str) -> str:
    ext = "parquet" if model == "audience_onsite_personalisation" else "csv"
    reader = "read_parquet" if ext == "parquet" else "read_csv"
    return f"{reader}('{export_dir / model}/*/*.{ext}', hive_partitioning = true)"


@pytest.fixture(scope="module")
def erased(warehouse):
    customer_ids = {
        r[0] for r in warehouse.execute("select customer_id from int_customers_erased").fetchall()
    }
    identifiers = {
        r[0] for r in warehouse.execute("select identifier_value from int_identifiers_erased").fetchall()
    }
    emails = {r[0] for r in warehouse.execute("select email from stg_privacy__erasure_requests").fetchall()}
    emails |= {v for v in identifiers if "@" in v}
    hashed = {hashlib.sha256(e.encode()).hexdigest() for e in emails}
    return customer_ids, identifiers | emails | hashed | customer_ids


def test_erased_people_have_data_upstream(warehouse, erased):
    """Without this the absence checks below could pass vacuously."""
    customer_ids, _ = erased
    assert len(customer_ids) >= 3
    placeholders = ",".join("?" * len(customer_ids))
    orders = warehouse.execute(
        f"select count(*) from int_sales_converted where customer_id in ({placeholders})", list(customer_ids)
    ).fetchone()[0]
    events = warehouse.execute(
        f"select count(*) from int_web_events_sessionised where customer_id in ({placeholders})",
        list(customer_ids),
    ).fetchone()[0]
    contacts = warehouse.execute(
        f"select count(*) from int_identifiers_resolved where identifier_type = 'contact_id'"
        f" and customer_id in ({placeholders})",
        list(customer_ids),
    ).fetchone()[0]
    assert orders > 0 and events > 0 and contacts > 0


def _relations(warehouse):
    rows = warehouse.execute(
        "select table_schema, table_name from information_schema.tables"
        " where table_schema in ('main', 'main_bi')"
    ).fetchall()
    return [(s, t) for s, t in rows if not t.startswith(WORKING_PREFIXES)]


def _matches(con, relation: str, needles: set[str]) -> list[tuple]:
    columns = [
        r[0]
        for r in con.execute(
            f"select column_name, column_type from (describe select * from {relation})"
        ).fetchall()
        if r[1] == "VARCHAR"
    ]
    found = []
    for column in columns:
        hits = con.execute(
            f'select distinct "{column}" from {relation}, (select unnest(?) as needle)'
            f' where position(needle in lower("{column}")) > 0 limit 3',
            [sorted(needles)],
        ).fetchall()
        found += [(relation, column, h[0]) for h in hits]
    return found


def test_no_erased_person_in_any_mart_view_or_snapshot(warehouse, erased):
    _, needles = erased
    relations = _relations(warehouse)
    assert any(t == "customer_segments_snapshot" for _, t in relations)
    assert any(s == "main_bi" for s, _ in relations)
    found = []
    for schema, table in relations:
        found += _matches(warehouse, f'"{schema}"."{table}"', needles)
    assert not found, found[:10]


def test_no_erased_person_in_any_export_file(warehouse, erased, export_dir):
    _, needles = erased
    found = []
    for model in EXPORTS:
        found += _matches(warehouse, _export_relation(export_dir, model), needles)
    assert not found, found[:10]


@pytest.mark.parametrize("model", sorted(EXPORTS))
def test_exports_hold_only_consenting_customers_and_needed_columns(warehouse, export_dir, model):
    purpose, columns = EXPORTS[model]
    relation = _export_relation(export_dir, model)
    got = {
        r[0]
        for r in warehouse.execute(f"select column_name from (describe select * from {relation})").fetchall()
    }
    assert got == columns
    key = "email" if model == "audience_ad_platform" else "customer_id"
    join = (
        "inner join dim_customers c on x.hashed_email = sha256(c.email)"
        if model == "audience_ad_platform"
        else "inner join dim_customers c on x.customer_id = c.customer_id"
    )
    rows, unconsented = warehouse.execute(
        f"""select count(*), count(*) filter (where not coalesce(k.is_consented, false))
            from {relation} x {join}
            left join customer_consents k on k.customer_id = c.customer_id and k.consent_purpose = ?""",
        [purpose],
    ).fetchone()
    total = warehouse.execute(f"select count(*) from {relation}").fetchone()[0]
    assert rows > 0 and rows >= total, f"{model}: every exported row must resolve to a customer ({key})"
    assert unconsented == 0
    # the filter is exercised: routed members without consent exist and are left out
    destination = model.removeprefix("audience_")
    left_out = warehouse.execute(
        """select count(*) from customer_segments s
           inner join audience_exports r on s.segment_id = r.segment_id and r.destination = ?
           inner join customer_consents k on k.customer_id = s.customer_id and k.consent_purpose = ?
           where not k.is_consented""",
        [destination, purpose],
    ).fetchone()[0]
    assert left_out > 0


@pytest.mark.parametrize("model", sorted(EXPORTS))
def test_one_file_per_routed_segment(warehouse, export_dir, model):
    destination = model.removeprefix("audience_")
    folders = sorted(p.name for p in (export_dir / model).iterdir())
    files = [list((export_dir / model / f).iterdir()) for f in folders]
    assert all(len(f) == 1 for f in files)
    routed = {
        r[0]
        for r in warehouse.execute(
            "select segment_id from audience_exports where destination = ?", [destination]
        ).fetchall()
    }
    assert {f.removeprefix("segment_id=") for f in folders} <= routed


def test_consent_conflicts_resolve_to_withdrawn(warehouse):
    bad = warehouse.execute(
        "select count(*) from customer_consents where has_conflict and consent_status <> 'withdrawn'"
    ).fetchone()[0]
    assert bad == 0
    no_record_consented = warehouse.execute(
        "select count(*) from customer_consents where consent_status = 'no_record' and is_consented"
    ).fetchone()[0]
    assert no_record_consented == 0
