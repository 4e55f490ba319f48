{#
    Run at the start of every invocation (on-run-start): every raw table of the
    input contract (but the optional ones, source meta `optional: true`) must have at least one file (`<table>.<format>` and/or
    `<table>.<part>.<format>`), and each of its files every documented column.
    Stops the run with a message naming the file and the missing column(s)
    otherwise. Extra columns are allowed. Returns no SQL.
#}
{% macro validate_raw_files() %}
    {% if execute %}
        {% for node in graph.sources.values() | sort(attribute='unique_id') %}
            {% set location = node.meta.external_location %}
            {% if location %}
                {% set pattern = node.meta.raw_dir ~ '/' ~ node.identifier ~ '.*' ~ node.meta.raw_format %}
                {% set files = run_query("select file from glob('" ~ pattern ~ "') order by file").columns[0].values() %}
                {% if files | length == 0 and (node.meta.get('optional') or node.source_meta.get('optional')) %}
                    {# an optional raw table (e.g. the user's own FX rates) may have no file #}
                {% elif files | length == 0 %}
                    {{ exceptions.raise_compiler_error(
                        "Raw file missing: " ~ node.meta.raw_dir ~ '/' ~ node.identifier ~ '.' ~ node.meta.raw_format
                        ~ " (or " ~ node.identifier ~ ".<part>." ~ node.meta.raw_format ~ " files; source "
                        ~ node.source_name ~ "." ~ node.name
                        ~ "). Every raw table needs a file, even one holding only the header. "
                        ~ "Set C360_RAW_DIR / C360_RAW_FORMAT to point at your data.") }}
                {% endif %}
                {% for file in files %}
                    {% set relation = location.replace('{raw_dir}/{name}.*' ~ node.meta.raw_format, file) %}
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
                            "Raw file " ~ file ~ " is missing required column(s): " ~ missing | join(', ')
                            ~ " (source " ~ node.source_name ~ "." ~ node.name ~ "; found: "
                            ~ present | join(', ') ~ ").") }}
                    {% endif %}
                {% endfor %}
            {% endif %}
        {% endfor %}
    {% endif %}
{% endmacro %}
