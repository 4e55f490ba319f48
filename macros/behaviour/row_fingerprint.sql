{#
    A fingerprint of several column values, for telling whether a row changed
    between runs. Dispatched: DuckDB's 64-bit hash() of the values (faster than
    md5, and position- and null-aware);
    elsewhere md5 of the values with a marker for null.
#}
{% macro row_fingerprint(columns) %}
    {{ return(adapter.dispatch('row_fingerprint', 'c360')(columns)) }}
{% endmacro %}

{% macro default__row_fingerprint(columns) %}
    md5(concat_ws('|'
        {%- for column in columns %}, coalesce(cast({{ column }} as {{ dbt.type_string() }}), '\\N'){% endfor %}))
{% endmacro %}

{% macro duckdb__row_fingerprint(columns) %}
    hash({{ columns | join(', ') }})
{% endmacro %}
