{#
    The latest run stamp an incremental model's table holds in `column` (the
    run_started_timestamp of the run that last wrote it), as a scalar subquery; the
    epoch when the table is empty, so the run then takes every row as changed.
#}
{% macro previous_run_stamp(column) %}
    (select coalesce(max(previous.{{ column }}), cast('1970-01-01' as timestamp)) from {{ this }} as previous)
{%- endmacro %}
