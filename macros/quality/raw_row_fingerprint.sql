{#
    A 32-hex-digit fingerprint of a whole raw row (`alias` is the relation in the
    FROM clause): every column as received, extra columns included, nulls told
    apart from empty strings. Dispatched: DuckDB joins two seeded 64-bit hash()
    values of the row (several times faster than md5 of the JSON text); elsewhere
    md5 of the row as JSON.
#}
{% macro raw_row_fingerprint(alias) %}
    {{ return(adapter.dispatch('raw_row_fingerprint', 'c360')(alias)) }}
{% endmacro %}

{% macro default__raw_row_fingerprint(alias) %}
    md5({{ c360.row_as_json(alias) }})
{% endmacro %}

{% macro duckdb__raw_row_fingerprint(alias) %}
    printf('%016x%016x', hash({{ alias }}), hash({{ alias }}, 'c360'))
{% endmacro %}
