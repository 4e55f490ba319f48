{#
    Written after a CTE's `as`: asks the engine to compute the CTE inside each query
    that reads it instead of storing its rows first. DuckDB (and PostgreSQL) spell it
    `not materialized`; elsewhere it renders nothing, the engine's default.

    Why: flag_duplicates reads its input three times (the repeated keys, the rows of
    keys seen once, the rows of repeated keys), so DuckDB stores the whole standardised
    input before reading it. For the event stream that store is every wide row: at
    100,000 customers (4.9 M events, DuckDB capped at 2,400 MB) base_web__events
    spilled 2.96 GB and used 51.9 CPU-seconds; computed where read (the raw file read
    and standardised twice, the key column a third time) nothing spilled and it used
    24.9 (wall 25.3 s against 12.8 s in one run, the same rows); at 1,000,000
    base_shop__order_items (16.2 M lines) took 65.9 s against 125.3 s. Smaller inputs,
    or rows dearer to standardise, are better stored: stored, base_shop__orders took
    0.85 s against 1.46 s computed where read at 100,000, and 55.2 s against 59.2 s
    at 1,000,000 (9.0 M orders); base_crm__contacts 1.1 s against 2.4 s at 100,000.
    Measured in-process, the model's compiled select alone, two DuckDB threads.
#}
{% macro not_materialized() %}
    {{- return(adapter.dispatch('not_materialized', 'c360')()) -}}
{% endmacro %}

{% macro default__not_materialized() %}{% endmacro %}

{% macro duckdb__not_materialized() %}not materialized{% endmacro %}
