{#
    Trim a text value, collapse runs of white space to one space and turn the
    empty string into null: the first step for every raw text column.
#}
{% macro clean_text(column) %}
    nullif(trim(regexp_replace({{ column }}, '\s+', ' ', 'g')), '')
{% endmacro %}
