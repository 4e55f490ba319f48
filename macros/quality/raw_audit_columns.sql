{#
    Audit columns every base model carries for its raw rows (`alias` is the raw
    relation in the FROM clause):
    - raw_values: the raw row as JSON text, kept in quarantine;
    - raw_fingerprint: MD5 of raw_values (tells exact copies from versions);
    - has_oversized_value: the raw row is longer than the `max_text_length` var,
      i.e. it carries a value no real field needs (10 KB pastes, binary junk).
    Emits a comma-terminated list of select expressions.
#}
{% macro raw_audit_columns(alias) %}
    {{ c360.row_as_json(alias) }} as raw_values,
    md5({{ c360.row_as_json(alias) }}) as raw_fingerprint,
    length({{ c360.row_as_json(alias) }}) > {{ var('max_text_length') }} as has_oversized_value,
{% endmacro %}
