"""Stable customer ids: the same data gives the same ids, and new records joining
existing people keep those people's ids."""

from __future__ import annotations

import csv
import shutil

import pytest
from dbt_runner import build_models, query

SELECTOR = "+customer_identity_map"


@pytest.fixture(scope="module")
def builds(sample_dir, tmp_path_factory):
    work = tmp_path_factory.mktemp("stability")
    first = work / "first.duckdb"
    build_models(SELECTOR, sample_dir, first, work / "t1")
    again = work / "again.duckdb"
    build_models(SELECTOR, sample_dir, again, work / "t2")

    # the same data plus a new contact for an existing person (another spelling,
    # created later) and a new person with an order
    grown = work / "grown_raw"
    shutil.copytree(sample_dir, grown, ignore=shutil.ignore_patterns("_truth"))
    existing = query(
        first,
        """
        select contact_id, email_original, first_name, last_name, postcode, country_code
        from stg_crm__contacts where email is not null and email_match_key not like '%test%'
        order by contact_id limit 1
    """,
    )[0]
    with open(grown / "crm_contacts.csv", "a", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            [
                "CNEWDUP001",
                existing[1].upper(),
                existing[2],
                existing[3],
                "",
                "",
                "",
                "",
                existing[4],
                existing[5],
                "",
                "2026-09-29T10:00:00Z",
                "",
            ]
        )
        w.writerow(
            [
                "CNEWPERSON1",
                "newcomer.unique@example.org",
                "Testy",
                "Newcomer",
                "",
                "",
                "",
                "",
                "ZZ1 1ZZ",
                "GB",
                "",
                "2026-09-29T11:00:00Z",
                "",
            ]
        )
    with open(grown / "orders.csv", "a", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            ["ONEW0001", "CNEWPERSON1", "2026-09-29T12:00:00Z", "completed", "GBP", "10.00", "web"]
        )
    grown_db = work / "grown.duckdb"
    build_models(SELECTOR, grown, grown_db, work / "t3")
    return first, again, grown_db, existing[0]


def _ids(db):
    return dict(query(db, "select identifier_key, customer_id from customer_identity_map"))


def test_same_data_same_ids(builds):
    first, again, _, _ = builds
    assert _ids(first) == _ids(again)


def test_new_records_keep_existing_ids(builds):
    first, _, grown, existing_contact = builds
    before, after = _ids(first), _ids(grown)
    changed = {k for k in before if after.get(k) != before[k]}
    assert not changed, sorted(changed)[:10]
    assert after["contact_id:CNEWDUP001"] == before[f"contact_id:{existing_contact}"]
    assert after["contact_id:CNEWPERSON1"] not in set(before.values())
