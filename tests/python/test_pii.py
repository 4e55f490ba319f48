"""Personal data is tagged and kept out of the BI schema.

Every column of a mart or export whose name is one of the project's personal-data
columns carries `meta: {pii: true}` in its yml, and no view of the PII-free BI
schema (main_bi) exposes a column tagged anywhere in the project, checked on the
built warehouse's real columns, not only on the yml."""

from __future__ import annotations

import json

import pytest
from dbt_runner import PROJECT_DIR

# column names that hold personal data wherever they appear
PERSONAL_COLUMNS = {
    "email",
    "email_addresses",
    "email_match_key",
    "email_consent_id",
    "first_name",
    "last_name",
    "phone_e164",
    "street_address",
    "city",
    "postcode",
    "date_of_birth",
    "loyalty_id",
    "loyalty_ids",
    "anonymous_id",
    "anonymous_ids",
    "visitor_key",
    "identifier_value",
    "identifier_key",
    "raw_key",
    "raw_values",
}


@pytest.fixture(scope="module")
def manifest():
    path = PROJECT_DIR / "target" / "manifest.json"
    if not path.exists():
        pytest.skip("no target/manifest.json: run scripts/test.sh")
    return json.loads(path.read_text())


def _models(manifest, *folders):
    return [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model"
        and n["original_file_path"].startswith(tuple(f"models/{f}/" for f in folders))
    ]


def _is_tagged(column: dict) -> bool:
    return bool(column.get("meta", {}).get("pii") or column.get("config", {}).get("meta", {}).get("pii"))


def _tagged_names(manifest) -> set[str]:
    return {
        name
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model"
        for name, column in n["columns"].items()
        if _is_tagged(column)
    }


def test_personal_columns_in_marts_and_exports_are_tagged(warehouse, manifest):
    untagged = []
    for node in _models(manifest, "marts", "exports"):
        real = {
            r[0]
            for r in warehouse.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [node["schema"], node["alias"]],
            ).fetchall()
        }
        for name in real & PERSONAL_COLUMNS:
            if not _is_tagged(node["columns"].get(name, {})):
                untagged.append(f"{node['name']}.{name}")
    assert not untagged, f"personal columns without meta pii: {untagged}"


def test_tags_exist_where_personal_data_lives(manifest):
    tagged = _tagged_names(manifest)
    assert {"email", "first_name", "phone_e164", "date_of_birth", "raw_values"} <= tagged


def test_bi_schema_exposes_no_tagged_column(warehouse, manifest):
    tagged = _tagged_names(manifest) | PERSONAL_COLUMNS
    bi_nodes = _models(manifest, "marts/bi")
    assert bi_nodes and all(n["schema"] == "main_bi" for n in bi_nodes)
    exposed = warehouse.execute(
        "select table_name, column_name from information_schema.columns where table_schema = 'main_bi'"
    ).fetchall()
    assert {t for t, _ in exposed} == {n["alias"] for n in bi_nodes}
    leaks = [f"{t}.{c}" for t, c in exposed if c in tagged]
    assert not leaks, leaks
    assert not [n["name"] for n in bi_nodes if any(_is_tagged(c) for c in n["columns"].values())]
