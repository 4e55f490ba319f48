{#
    The date every time-relative computation is measured from, as a SQL date
    expression. The `as_of_date` var when set (point-in-time builds); otherwise the
    latest date in the data, computed once per build by base_run__as_of_date, which
    the calling model passes as `run_dates` (ref('base_run__as_of_date')) so the
    dependency is written where it is used.
    `as_of_cutoff()` is the exclusive upper bound: midnight UTC after that date.
#}
{% macro as_of_date(run_dates) %}
    {%- if var('as_of_date', none) -%}
        cast('{{ var("as_of_date") }}' as date)
    {%- else -%}
        (
            select as_of_date from {{ run_dates }}
        )
    {%- endif -%}
{% endmacro %}

{% macro as_of_cutoff(run_dates) %}
    {{ dbt.dateadd('day', 1, 'cast(' ~ c360.as_of_date(run_dates) ~ ' as timestamp)') }}
{% endmacro %}
