{#
    The date every time-relative computation is measured from, as a SQL date
    expression. The `as_of_date` var when set (point-in-time builds); otherwise the
    latest date in the data, computed once per build by `base_run__as_of_date`.
    `as_of_cutoff()` is the exclusive upper bound: midnight UTC after that date.
#}
{% macro as_of_date() %}
    {%- if var('as_of_date', none) -%}
        cast('{{ var("as_of_date") }}' as date)
    {%- else -%}
        (
            select as_of_date from {{ ref('base_run__as_of_date') }}
        )
    {%- endif -%}
{% endmacro %}

{% macro as_of_cutoff() %}
    {{ dbt.dateadd('day', 1, 'cast(' ~ c360.as_of_date() ~ ' as timestamp)') }}
{% endmacro %}
