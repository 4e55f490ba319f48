{#
    A 64-bit integer hash of the given values (a list of SQL expressions), for
    fingerprints that add the hashes of many rows: a sum is free of row order, and
    any added, removed or changed row moves it. Nulls hash too (a null and an empty
    string differ). Dispatched: DuckDB's hash() of the values, as a hugeint so a sum
    of millions cannot overflow; another adapter (e.g. Spark's xxhash64) needs its own.
#}
{% macro values_hash(expressions) %}
    {{ return(adapter.dispatch('values_hash', 'c360')(expressions)) }}
{% endmacro %}

{% macro default__values_hash(expressions) %}
    {{ exceptions.raise_compiler_error("values_hash has no implementation for the " ~ adapter.type() ~ " adapter") }}
{% endmacro %}

{% macro duckdb__values_hash(expressions) %}
    cast(hash({{ expressions | join(', ') }}) as hugeint)
{% endmacro %}
