{#
    The run's start time (dbt's run_started_at, UTC, to the second) as a timestamp
    literal: the stamp of the rows a run writes, equal in every model of the run.
#}
{% macro run_started_timestamp() %}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}
