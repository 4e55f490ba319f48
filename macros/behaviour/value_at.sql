{#
    Aggregates: the value of `value` on the row where `order_by` is smallest
    (value_at_min) or largest (value_at_max) in the group, null included (a session
    whose first event has no referrer has none). `order_by` must be unique within a
    group for the answer to be deterministic. Dispatched: DuckDB's arg_min/arg_max
    skip rows whose value is null, so DuckDB uses arg_min_null/arg_max_null;
    elsewhere min_by/max_by (Spark, Trino).
#}
{% macro value_at_min(value, order_by) %}
    {{ return(adapter.dispatch('value_at_min', 'c360')(value, order_by)) }}
{% endmacro %}

{% macro default__value_at_min(value, order_by) -%}
    min_by({{ value }}, {{ order_by }})
{%- endmacro %}

{% macro duckdb__value_at_min(value, order_by) -%}
    arg_min_null({{ value }}, {{ order_by }})
{%- endmacro %}

{% macro value_at_max(value, order_by) %}
    {{ return(adapter.dispatch('value_at_max', 'c360')(value, order_by)) }}
{% endmacro %}

{% macro default__value_at_max(value, order_by) -%}
    max_by({{ value }}, {{ order_by }})
{%- endmacro %}

{% macro duckdb__value_at_max(value, order_by) -%}
    arg_max_null({{ value }}, {{ order_by }})
{%- endmacro %}
