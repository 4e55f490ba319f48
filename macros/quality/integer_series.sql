{#
    A set-returning select-list expression: one row per integer from `start` to `stop`
    (both included; no rows when stop < start). Used to cut a text into fixed-width
    probes (quarantine_rows).
#}
{% macro integer_series(start, stop) %}
    {{ return(adapter.dispatch('integer_series', 'c360')(start, stop)) }}
{% endmacro %}

{% macro duckdb__integer_series(start, stop) %}
    unnest(range({{ start }}, ({{ stop }}) + 1))
{% endmacro %}

{% macro default__integer_series(start, stop) %}
    generate_series({{ start }}, {{ stop }})
{% endmacro %}
