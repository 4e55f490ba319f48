"""dbt-duckdb plugin (``plugins: [{module: c360.duckdb_plugin}]`` in profiles.yml):
registers the project's Python functions on every DuckDB connection dbt opens.

- ``c360_phone_e164(raw varchar, region varchar) -> varchar``: the phone number in
  E.164 form (``+61293744000``) when libphonenumber (the ``phonenumbers`` package)
  parses it and finds it a valid number, else null. ``region`` (ISO alpha-2) is the
  country a national number is read in; a number written with ``+`` or an
  international prefix keeps its own country. A number that is not valid in its
  country is never rewritten into another country's.
- ``c360_phone_parser_version() -> varchar``: the version of the ``phonenumbers``
  package (its metadata decides which numbers are valid), stored beside each parse so
  that a parse made by another version is redone (base_crm__phone_numbers_parsed).

It also applies the run's memory budget: DuckDB's memory_limit is its share of
``C360_MEMORY_LIMIT`` (c360.memory), set when the warehouse connection opens.

Called through the ``normalize_phone`` macro (adapter.dispatch), so other engines can
bring their own implementation. Cost: about 90 microseconds a number on one core
(base_crm__contacts on 1,000,000 contacts: 91.6 s, against 20.0 s for the earlier
regex rules), so it runs in base_crm__phone_numbers_parsed only, once per distinct
(phone, country) and kept across runs: a run parses only the numbers it has not seen.
"""

from __future__ import annotations

import phonenumbers
from dbt.adapters.duckdb.plugins import BasePlugin
from phonenumbers import NumberParseException, PhoneNumberFormat

from c360.memory import duckdb_memory_limit


def phone_e164(raw: str | None, region: str | None) -> str | None:
    if raw is None:
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def phone_parser_version() -> str:
    return phonenumbers.__version__


class Plugin(BasePlugin):
    def update_connection_config(self, creds, config):
        limit = duckdb_memory_limit()
        if limit:
            config["memory_limit"] = limit

    def configure_connection(self, conn):
        conn.create_function(
            "c360_phone_e164",
            phone_e164,
            ["VARCHAR", "VARCHAR"],
            "VARCHAR",
            null_handling="special",
            side_effects=False,
        )
        conn.create_function(
            "c360_phone_parser_version", phone_parser_version, [], "VARCHAR", side_effects=False
        )
