{#
    on-run-start: cap DuckDB's buffer memory when C360_MEMORY_LIMIT is set (for example
    `4GB` or `3.5GiB`); DuckDB then spills sorts, joins and aggregates to disk instead
    of growing towards its default of 80% of the machine's memory. Unset, nothing
    changes. memory_limit is a database-wide setting, so one statement covers every
    thread of the run. A value that is not a number and a unit fails the run at once.
#}
{% macro apply_memory_limit() %}
    {% set limit = env_var('C360_MEMORY_LIMIT', '') | trim %}
    {% if execute and limit %}
        {% if not modules.re.fullmatch('[0-9]+([.][0-9]+)? ?[KMGT]i?B', limit) %}
            {{ exceptions.raise_compiler_error(
                "C360_MEMORY_LIMIT must be a number and a unit such as 4GB or 3.5GiB; got '"
                ~ limit ~ "'.") }}
        {% endif %}
        {% do run_query("set memory_limit = '" ~ limit ~ "'") %}
        {% set applied = run_query("select current_setting('memory_limit')").columns[0].values()[0] %}
        {{ log("DuckDB memory_limit: " ~ applied ~ " (C360_MEMORY_LIMIT=" ~ limit ~ ")", info=True) }}
    {% endif %}
{% endmacro %}
