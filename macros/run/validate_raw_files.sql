{#
    Run at the start of every invocation (on-run-start): every raw file of the
    input contract must exist and have every documented column. Stops the run with
    a message naming the file and the missing column(s) otherwise. Extra columns
    are allowed. Returns no SQL.
#}
{% macro validate_raw_files() %}
    {% if execute %}
        {% for node in graph.sources.values() | sort(attribute='unique_id') %}
            {% set location = node.meta.external_location %}
            {% if location %}
                {% set path = node.meta.raw_dir ~ '/' ~ node.identifier ~ '.' ~ node.meta.raw_format %}
                {% set found = run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] %}
                {% if found == 0 %}
                    {{ exceptions.raise_compiler_error(
                        "Raw file missing: " ~ path ~ " (source " ~ node.source_name ~ "." ~ node.name
                        ~ "). Every raw table needs a file, even one holding only the header. "
                        ~ "Set C360_RAW_DIR / C360_RAW_FORMAT to point at your data.") }}
                {% endif %}
                {% set relation = location.replace('{raw_dir}', node.meta.raw_dir).replace('{name}', node.identifier) %}
                {% set described = run_query("describe select * from " ~ relation) %}
                {% set present = described.columns[0].values() | map('lower') | list %}
                {% set missing = [] %}
                {% for column in node.columns %}
                    {% if column | lower not in present %}
                        {% do missing.append(column) %}
                    {% endif %}
                {% endfor %}
                {% if missing %}
                    {{ exceptions.raise_compiler_error(
                        "Raw file " ~ path ~ " is missing required column(s): " ~ missing | join(', ')
                        ~ " (source " ~ node.source_name ~ "." ~ node.name ~ "; found: "
                        ~ present | join(', ') ~ ").") }}
                {% endif %}
            {% endif %}
        {% endfor %}
    {% endif %}
{% endmacro %}
