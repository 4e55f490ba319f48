{#
    Audit columns every base model carries for its raw rows (`alias` is the raw
    relation in the FROM clause):
    - raw_fingerprint: raw_row_fingerprint of the whole row (tells exact copies
      from versions, and finds the raw row again for quarantine_rows);
    - has_oversized_value: the raw row, as JSON text, is longer than the
      `max_text_length` var, i.e. it carries a value no real field needs (10 KB
      pastes, binary junk).
    The raw row itself is not carried: quarantine_rows reads it back from the raw
    file for the few quarantined rows (carrying it through the de-duplication sorts
    of every row was half the cost of base_web__events).
    Emits the two select expressions separated by a comma, none after: the caller
    writes the comma that follows, as after any other column.
#}
{% macro raw_audit_columns(alias) %}
    {{ c360.raw_row_fingerprint(alias) }} as raw_fingerprint,
    length({{ c360.row_as_json(alias) }}) > {{ var('max_text_length') }} as has_oversized_value
{% endmacro %}
