"""Reference seeds generated from maintained libraries, never typed by hand.

``python -m c360_tools.reference --out seeds`` (re)writes:

- ``countries.csv``: every ISO 3166-1 country (pycountry): alpha-2, alpha-3 and numeric
  codes, English name, international dialling code (libphonenumber's metadata, via
  ``phonenumbers``) and current home currency (CLDR, via ``babel``);
- ``currencies.csv``: every ISO 4217 currency (pycountry), and the withdrawn ones CLDR
  (via ``babel``) still lists, with minor units (CLDR) and whether ISO still lists it;
- ``vocab_countries.csv``: raw country spellings -> alpha-2: the codes, the ISO names
  (short, official, common), the CLDR names in English, French, German, Spanish,
  Italian, Portuguese and Dutch and in each country's own official languages, each also
  without accents; plus ``ALIASES`` below, the few everyday spellings no standard
  lists. A spelling that means two countries is left out.

Run it after upgrading pycountry, phonenumbers or babel (their pins are in
requirements.txt) and commit the seeds it writes.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import sys
import unicodedata
from pathlib import Path

import babel.languages
import babel.numbers
import phonenumbers
import pycountry
from babel import Locale, UnknownLocaleError

# Everyday spellings that are not codes or names in ISO 3166 or CLDR (the UK's
# constituent countries, common abbreviations); kept here because no library has them.
ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "america": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "republic of ireland": "IE",
    "uae": "AE",
    "south korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "czech republic": "CZ",
    "vietnam": "VN",
}
# Languages whose country names every raw file may use, besides each country's own.
NAME_LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl"]


def _fold(text: str) -> str:
    """Lowercase, trimmed, single-spaced; as staging compares raw values."""
    return " ".join(text.lower().split())


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return None


def countries() -> list[dict[str, str]]:
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        dial = phonenumbers.country_code_for_region(country.alpha_2)
        currencies = babel.numbers.get_territory_currencies(country.alpha_2)
        rows.append(
            {
                "country_code": country.alpha_2,
                "alpha3_code": country.alpha_3,
                "numeric_code": country.numeric,
                "country_name": getattr(country, "common_name", country.name),
                "dial_code": str(dial) if dial else "",
                "currency_code": currencies[0] if currencies else "",
            }
        )
    return rows


def currencies() -> list[dict[str, str]]:
    """ISO 4217's current list (pycountry) and, for old exports, the currencies CLDR
    still knows that ISO has withdrawn (Deutsche Mark, French franc, Bulgarian lev...)."""
    current = {currency.alpha_3: currency for currency in pycountry.currencies}
    english = Locale("en").currencies
    codes = sorted(set(current) | set(babel.numbers.list_currencies()))
    return [
        {
            "currency_code": code,
            "numeric_code": current[code].numeric if code in current else "",
            "currency_name": current[code].name if code in current else english.get(code, code),
            "minor_units": str(babel.numbers.get_currency_precision(code)),
            "is_current": str(code in current).lower(),
        }
        for code in codes
    ]


def country_spellings() -> list[dict[str, str]]:
    candidates: dict[str, set[str]] = {}

    def add(spelling: str | None, code: str) -> None:
        if not spelling:
            return
        for form in {_fold(spelling), _fold(_ascii(spelling))}:
            if form:
                candidates.setdefault(form, set()).add(code)

    locales = {language: _locale(language) for language in NAME_LANGUAGES}
    for country in pycountry.countries:
        code = country.alpha_2
        for attribute in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            add(getattr(country, attribute, None), code)
        own = babel.languages.get_official_languages(code, de_facto=True)
        for language in [*NAME_LANGUAGES, *own]:
            locale = locales.get(language) or _locale(language)
            locales[language] = locale
            if locale is not None:
                add(locale.territories.get(code), code)
    for spelling, code in ALIASES.items():
        candidates[spelling] = {code}  # an alias says which country it means
    return [
        {"raw_value": spelling, "canonical_value": codes.pop()}
        for spelling, codes in sorted(candidates.items())
        if len(codes) == 1
    ]


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m c360_tools.reference", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--out", default="seeds", help="seed directory to write into (default: seeds)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if not out.is_dir():
        sys.exit(f"error: {out} is not a directory")
    tables = {
        "countries": countries(),
        "currencies": currencies(),
        "vocab_countries": country_spellings(),
    }
    for name, rows in tables.items():
        _write(out / f"{name}.csv", rows)
    versions = ", ".join(
        f"{lib} {importlib.metadata.version(lib)}" for lib in ("pycountry", "phonenumbers", "babel")
    )
    print(", ".join(f"{name}.csv: {len(rows)} rows" for name, rows in tables.items()) + f" (from {versions})")


if __name__ == "__main__":
    main()
