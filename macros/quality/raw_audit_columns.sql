{#
    Audit columns every base model carries for its raw rows, over the documented
    columns of the source table:
    - raw_fingerprint: hash of all raw values (tells exact copies from versions);
    - raw_values: the raw row as JSON text, kept in quarantine;
    - has_oversized_value: some raw value is longer than the `max_text_length` var.
    Emits a comma-terminated list of select expressions.
#}
{% macro raw_audit_columns(source_name, table_name) %}
    {% set columns = c360.source_columns(source_name, table_name) %}
    {% if columns %}
        {{ c360.row_fingerprint(columns) }} as raw_fingerprint,
        {{ c360.row_to_json(columns) }} as raw_values,
        (
            {%- for column in columns %}
            coalesce(length({{ column }}), 0) > {{ var('max_text_length') }}{{ " or" if not loop.last }}
            {%- endfor %}
        ) as has_oversized_value,
    {% else %}
        cast(null as varchar) as raw_fingerprint,
        cast(null as varchar) as raw_values,
        false as has_oversized_value,
    {% endif %}
{% endmacro %}
