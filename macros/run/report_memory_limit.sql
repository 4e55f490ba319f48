{#
    on-run-start: report the memory cap DuckDB runs under when C360_MEMORY_LIMIT is set.
    C360_MEMORY_LIMIT is the budget of the whole dbt process; DuckDB's memory_limit is
    its share of it (c360.memory), set by the project's dbt-duckdb plugin when the
    warehouse connection opens, so it covers every thread and every statement of the
    run. DuckDB then spills sorts, joins and aggregates to disk instead of growing
    towards its default of 80% of the machine's memory. A value that is not a number
    and a unit stops the run when the connection opens.
#}
{% macro report_memory_limit() %}
    {% set limit = env_var('C360_MEMORY_LIMIT', '') | trim %}
    {% if execute and limit %}
        {% set applied = run_query("select current_setting('memory_limit')").columns[0].values()[0] %}
        {{ log("DuckDB memory_limit: " ~ applied ~ " (its share of C360_MEMORY_LIMIT=" ~ limit ~ ")", info=True) }}
    {% endif %}
{% endmacro %}
