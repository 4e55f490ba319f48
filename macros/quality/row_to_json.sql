{#
    The raw columns of a row as one JSON text, so a quarantine row keeps exactly
    what arrived. `columns` is a list of column names of the current relation.
#}
{% macro row_to_json(columns) %}
    {{ return(adapter.dispatch('row_to_json', 'c360')(columns)) }}
{% endmacro %}

{% macro duckdb__row_to_json(columns) %}
    cast(json_object(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    ) as varchar)
{% endmacro %}
