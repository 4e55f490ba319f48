{#
    The body of a published mart that copies an intermediate model: the columns of
    the mart's contract (its yml), in that order, from `relation`, optionally only
    the rows for which the SQL condition `where` holds (an incremental copy). The
    column list lives once, in the contract; a column the contract names that
    `relation` lacks fails the build. Before the yml is read (parsing) it is `select *`.
#}
{% macro published_copy(relation, where=none) %}
    {%- set columns = model.columns.keys() | list if model is mapping and model.columns else [] -%}
    select
    {%- if columns %}
        {%- for column in columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    {%- else %}
        *
    {%- endif %}
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
{% endmacro %}
