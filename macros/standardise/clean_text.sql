{#
    Trim a text value, collapse runs of white space to one space, and turn the empty
    string and the placeholders exports write for "no value" (the
    `missing_value_placeholders` var: `NULL`, `N/A`, `-`, ... in any case) into null:
    the first step for every raw text column, so a placeholder is never taken for a
    real id, email or name.
#}
{% macro clean_text(column) %}
    {% set placeholders = var('missing_value_placeholders') | map('lower') | list %}
    case
        when length(trim({{ column }})) <= {{ placeholders | map('length') | max }}
            and lower(trim({{ column }})) in (
                {%- for value in placeholders %}'{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor -%}
            )
            then null
        else nullif(trim(regexp_replace({{ column }}, '\s+', ' ', 'g')), '')
    end
{% endmacro %}
