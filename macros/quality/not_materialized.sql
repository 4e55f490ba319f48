{#
    Written after a CTE's `as`: asks the engine to compute the CTE inside each query
    that reads it instead of storing its rows first. DuckDB (and PostgreSQL) spell it
    `not materialized`; elsewhere it renders nothing, the engine's default.

    Why: flag_duplicates reads its input three times (the repeated keys, the rows of
    keys seen once, the rows of repeated keys), so DuckDB stores the whole standardised
    input before reading it. For the event stream that store is every wide row. The
    compiled select alone, in-process, two DuckDB threads capped at 2,400 MB:
    base_web__events at 1,000,000 customers (49.3 M events) spilled 36.8 GB stored and
    0.64 GB computed where read (the raw file read and standardised twice, the key
    column a third time), 525 against 491 CPU-seconds, 260.1 s against 251.4 s wall;
    at 100,000, 2.96 GB against nothing and 51.9 against 24.9 CPU-seconds.
    base_shop__order_items at 1,000,000 (16.2 M lines): 125.3 s stored, 65.9 s where
    read. The same rows either way. Smaller inputs, or rows dearer to standardise, are
    better stored: base_shop__orders 55.2 s stored against 59.2 s at 1,000,000 (9.0 M
    orders), 0.85 s against 1.46 s at 100,000; base_crm__contacts 1.1 s against 2.4 s
    at 100,000. Since flag_duplicates takes the repeated keys found on the raw rows
    (repeated_flag, full builds), a row is standardised once, not once per branch,
    and base_shop__orders is computed where read too (26.6 s against 30.0 s stored).
#}
{% macro not_materialized() %}
    {{- return(adapter.dispatch('not_materialized', 'c360')()) -}}
{% endmacro %}

{% macro default__not_materialized() %}{% endmacro %}

{% macro duckdb__not_materialized() %}not materialized{% endmacro %}
