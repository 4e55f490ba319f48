{#
    Aggregate: the value of `value` on the row where `order_by` is smallest
    (`end='min'`) or largest (`end='max'`) in the group, null included (a session
    whose last event has no page has no exit page). `order_by` must be unique within a
    group for the answer to be deterministic. Dispatched: DuckDB's arg_min/arg_max
    skip rows whose value is null, so DuckDB uses arg_min_null/arg_max_null;
    elsewhere min_by/max_by (Spark, Trino).
#}
{% macro value_at(value, order_by, end) %}
    {% if end not in ('min', 'max') %}
        {{ exceptions.raise_compiler_error("value_at: end must be 'min' or 'max', not '" ~ end ~ "'") }}
    {% endif %}
    {{ return(adapter.dispatch('value_at', 'c360')(value, order_by, end)) }}
{% endmacro %}

{% macro default__value_at(value, order_by, end) -%}
    {{ end }}_by({{ value }}, {{ order_by }})
{%- endmacro %}

{% macro duckdb__value_at(value, order_by, end) -%}
    arg_{{ end }}_null({{ value }}, {{ order_by }})
{%- endmacro %}
