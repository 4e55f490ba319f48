{#
    Names of the columns documented for a source table (its raw input contract),
    in documented order. Used to fingerprint and archive raw rows without listing
    every column again in each model.
#}
{% macro source_columns(source_name, table_name) %}
    {% if execute %}
        {% for node in graph.sources.values() %}
            {% if node.source_name == source_name and node.name == table_name %}
                {{ return(node.columns.keys() | list) }}
            {% endif %}
        {% endfor %}
        {{ exceptions.raise_compiler_error("No source " ~ source_name ~ "." ~ table_name) }}
    {% endif %}
    {{ return([]) }}
{% endmacro %}
