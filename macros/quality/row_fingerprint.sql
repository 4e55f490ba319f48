{#
    A hash of a row's raw values (nulls distinguished from empty strings), used to
    tell exact re-sent copies (same key, same fingerprint) from conflicting
    versions of a record (same key, different fingerprint).
#}
{% macro row_fingerprint(columns) %}
    md5(concat_ws(
        '|'
        {%- for column in columns %},
        coalesce('v' || cast({{ column }} as varchar), 'n')
        {%- endfor %}
    ))
{% endmacro %}
