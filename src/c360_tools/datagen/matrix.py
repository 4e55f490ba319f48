"""The source matrix: small raw datasets that hold only some of the sources, another
decade and currency, or contacts from many countries, each of which must build.

``python -m c360_tools.datagen.matrix --out target/matrix [--customers 300]`` writes one
directory per dataset (every raw table present, the missing sources as header-only
files) and ``matrix.json``: per dataset, its directory and the dbt vars to build it
with. ``tests/python/test_source_matrix.py`` builds each one.

- ``crm_only``: CRM contacts only (like a CRM export with nothing else);
- ``web_only``: web events only (an anonymous clickstream, with logins naming CRM
  contacts that are not in the export);
- ``guest_orders_only``: guest-checkout orders (keyed by email) and their lines only;
- ``till_only``: in-store till sales only;
- ``nineties_usd``: every source, history ending 1997-09-30, as-of date 1997-09-30,
  reporting currency USD, and the user's own ``fx_rates.csv`` (USD as base, GBP per
  month up to June 1997, no EUR: the euro did not exist), so USD needs no rate, GBP
  sales take their month's or the nearest earlier month's rate and EUR sales have
  none;
- ``international``: every source, the contacts moved to fourteen countries on six
  continents, each with its local phone spellings (valid numbers from libphonenumber's
  metadata), its local date format and the country written in its own language.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import phonenumbers
from babel import Locale
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from . import GeneratorConfig, generate
from .generator import RAW_COLUMNS

# country -> (language its name is written in, birth-date format)
INTERNATIONAL = {
    "AU": ("en", "%Y%m%d"),
    "JP": ("ja", "%Y/%m/%d"),
    "BR": ("pt", "%d/%m/%Y"),
    "IN": ("en", "%d/%m/%Y"),
    "ZA": ("en", "%Y-%m-%d"),
    "DE": ("de", "%d.%m.%Y"),
    "FR": ("fr", "%d/%m/%Y"),
    "US": ("en", "%m-%d-%Y"),
    "MX": ("es", "%d/%m/%Y"),
    "SE": ("sv", "%Y-%m-%d"),
    "NG": ("en", "%d/%m/%Y"),
    "KR": ("ko", "%Y%m%d"),
    "CA": ("fr", "%Y-%m-%d"),
    "ES": ("es", "%d/%m/%Y"),
}
PHONE_STYLES = [PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.E164]

# the user's rates for nineties_usd: units per 1 USD, monthly from 1995 to June 1997
NINETIES_RATES = [
    {"currency_code": code, "rate_month": f"{year}{month:02d}01", "units_per_base": rate}
    for year in (1995, 1996, 1997)
    for month in range(1, 13)
    if (year, month) <= (1997, 6)
    for code, rate in (("USD", "1"), ("GBP", f"{0.60 + 0.001 * month:.4f}"))
]

DATASETS = ["crm_only", "web_only", "guest_orders_only", "till_only", "nineties_usd", "international"]


def _stable(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _subset(base: Path, out: Path, keep: dict) -> None:
    """Copy ``base`` to ``out`` keeping, per table in ``keep``, the rows its filter
    accepts (None: all); every other table is written with its header only."""
    out.mkdir(parents=True, exist_ok=True)
    for table, columns in RAW_COLUMNS.items():
        header, rows = _read(base / f"{table}.csv")
        if table not in keep:
            rows = []
        elif keep[table] is not None:
            rows = [row for row in rows if keep[table](row)]
        _write(out / f"{table}.csv", header or columns, rows)


def _local_phone(country: str, seed: int) -> str:
    """A valid mobile number of ``country`` in one of its usual spellings."""
    example = phonenumbers.example_number_for_type(country, PhoneNumberType.MOBILE)
    national = str(example.national_number)
    for attempt in range(50):
        tail = f"{(seed + attempt * 7919) % 10_000:04d}"
        candidate = phonenumbers.parse(f"+{example.country_code}{national[:-4]}{tail}")
        if phonenumbers.is_valid_number(candidate):
            return phonenumbers.format_number(candidate, PHONE_STYLES[seed % len(PHONE_STYLES)])
    return phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)


def internationalise(base: Path, out: Path) -> dict[str, str]:
    """Copy ``base`` to ``out`` with every person's contacts moved to one of the
    INTERNATIONAL countries. Returns contact_id -> country (the truth)."""
    shutil.copytree(base, out, dirs_exist_ok=True)
    person_of = {row["contact_id"]: row["person_id"] for row in _read(base / "_truth" / "contacts.csv")[1]}
    countries = sorted(INTERNATIONAL)
    header, rows = _read(base / "crm_contacts.csv")
    truth = {}
    for row in rows:
        person = person_of.get(row["contact_id"], row["contact_id"])
        seed = _stable(person)
        country = countries[seed % len(countries)]
        language, date_format = INTERNATIONAL[country]
        truth[row["contact_id"]] = country
        row["country"] = Locale.parse(language).territories[country]
        if row["phone"]:
            row["phone"] = _local_phone(country, seed + _stable(row["contact_id"]) % 3)
        if row["date_of_birth"]:
            born = date(1940, 1, 1) + timedelta(days=seed % 20_000)
            row["date_of_birth"] = born.strftime(date_format)
    _write(out / "crm_contacts.csv", header, rows)
    return truth


def build_matrix(out_dir: str | Path, customers: int = 300, seed: int = 7) -> dict:
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    base, nineties = out / "_base", out / "_base_1997"
    generate(base, GeneratorConfig(customers=customers, seed=seed, end_date="2026-09-30"), log=lambda _: None)
    generate(
        nineties, GeneratorConfig(customers=customers, seed=seed, end_date="1997-09-30"), log=lambda _: None
    )

    _subset(base, out / "crm_only", {"crm_contacts": None})
    _subset(base, out / "web_only", {"web_events": None})
    guest_orders = {row["order_id"] for row in _read(base / "orders.csv")[1] if "@" in row["customer_ref"]}
    _subset(
        base,
        out / "guest_orders_only",
        {
            "orders": lambda row: row["order_id"] in guest_orders,
            "order_items": lambda row: row["order_id"] in guest_orders,
        },
    )
    _subset(base, out / "till_only", {"pos_transactions": None})
    shutil.copytree(nineties, out / "nineties_usd", ignore=shutil.ignore_patterns("_truth", "_manifest.json"))
    _write(
        out / "nineties_usd" / "fx_rates.csv",
        ["currency_code", "rate_month", "units_per_base"],
        NINETIES_RATES,
    )
    truth = internationalise(base, out / "international")
    shutil.rmtree(out / "international" / "_truth")
    _write(
        out / "international_countries.csv",
        ["contact_id", "country_code"],
        [{"contact_id": k, "country_code": v} for k, v in sorted(truth.items())],
    )

    plan = {name: {"raw_dir": str((out / name).resolve()), "vars": {}} for name in DATASETS}
    plan["nineties_usd"]["vars"] = {"as_of_date": "1997-09-30", "reporting_currency": "USD"}
    (out / "matrix.json").write_text(json.dumps(plan, indent=2) + "\n")
    return plan


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m c360_tools.datagen.matrix", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--out", required=True, help="directory to write the datasets into (replaced)")
    parser.add_argument(
        "--customers", type=int, default=300, help="people in the generated base (default 300)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.customers < 1:
        sys.exit("error: --customers must be at least 1")
    plan = build_matrix(args.out, args.customers, args.seed)
    print(f"wrote {len(plan)} datasets to {args.out}: {', '.join(plan)}")


if __name__ == "__main__":
    main()
