{#
    A whole row of a relation, every column as received (extra columns included),
    as one JSON text; `alias` is the relation's name or alias in the FROM clause.
    Nulls and empty strings stay distinct.
#}
{% macro row_as_json(alias) %}
    {{ return(adapter.dispatch('row_as_json', 'c360')(alias)) }}
{% endmacro %}

{% macro duckdb__row_as_json(alias) %}
    cast(to_json({{ alias }}) as varchar)
{% endmacro %}
