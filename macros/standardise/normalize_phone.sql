{#
    Phone number to E.164 (`+<country code><number>`) by libphonenumber's rules for
    every country, or null when it is not a valid number there. `region` is a SQL
    expression of the ISO alpha-2 country that national numbers are read in (the
    row's country, else the `default_country` var); a number written with `+` or an
    international prefix keeps its own country, and an invalid number is never
    rewritten into another country. An extension (`x12`, `ext. 12`) is left out
    here and returned by `phone_extension`.
    DuckDB: the `c360_phone_e164` function registered by the project's dbt-duckdb
    plugin (src/c360/duckdb_plugin.py); another engine brings its own.
#}
{% macro normalize_phone(column, region) %}
    {{ return(adapter.dispatch('normalize_phone', 'c360')(column, region)) }}
{% endmacro %}

{% macro duckdb__normalize_phone(column, region) %}
    c360_phone_e164({{ column }}, coalesce({{ region }}, '{{ var("default_country") }}'))
{% endmacro %}

{#
    The version of the phone rules normalize_phone applies (libphonenumber's metadata
    changes which numbers are valid), as a SQL expression; a stored parse made under
    another version is redone. DuckDB: the plugin's `c360_phone_parser_version`.
#}
{% macro phone_parser_version() %}
    {{ return(adapter.dispatch('phone_parser_version', 'c360')()) }}
{% endmacro %}

{% macro duckdb__phone_parser_version() %}
    c360_phone_parser_version()
{% endmacro %}

{% macro phone_extension(column) %}
    nullif(regexp_extract(lower({{ column }}), '(ext\.?|x|#)\s*(\d+)\s*$', 2), '')
{% endmacro %}
