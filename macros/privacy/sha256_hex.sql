{#
    Hex SHA-256 digest of a text expression, the form ad platforms match hashed
    emails on. Dispatched: DuckDB has sha256(); most warehouses have sha2(x, 256).
#}
{% macro sha256_hex(expression) %}
    {{ return(adapter.dispatch('sha256_hex', 'c360')(expression)) }}
{% endmacro %}

{% macro default__sha256_hex(expression) %}
    sha2({{ expression }}, 256)
{% endmacro %}

{% macro duckdb__sha256_hex(expression) %}
    sha256({{ expression }})
{% endmacro %}
