{#
    True when the raw table of the source `source_name`.`table_name` has at least one file, `<table>.<format>` or `<table>.<part>.<format>`. For the
    optional raw tables (source meta `optional: true`), whose models read nothing when
    the user supplies no file. False while parsing (nothing is read then).
#}
{% macro raw_files_present(source_name, table_name) %}
    {% if not execute %}
        {{ return(false) }}
    {% endif %}
    {% for node in graph.sources.values() %}
        {% if node.source_name == source_name and node.name == table_name %}
            {% set pattern = node.meta.raw_dir ~ '/' ~ node.identifier ~ '.*' ~ node.meta.raw_format %}
            {{ return(run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] > 0) }}
        {% endif %}
    {% endfor %}
    {{ exceptions.raise_compiler_error("raw_files_present: no source " ~ source_name ~ "." ~ table_name) }}
{% endmacro %}
