{#
    Trim a text value, collapse runs of white space to one space, and turn the empty
    string and the placeholders exports write for "no value" (the
    `missing_value_placeholders` var: `NULL`, `N/A`, `-`, ... in any case) into null:
    the first step for every raw text column, so a placeholder is never taken for a
    real id, email or name.
    Most values hold no run of white space: the regex replace runs only on those
    that do (two spaces, or a tab, line feed, form feed or carriage return: the
    regex's \s); a substring search costs a fraction of a regex replace, and the
    result is the same.
#}
{% macro clean_text(column) %}
    {% set placeholders = var('missing_value_placeholders') | map('lower') | list %}
    case
        when length(trim({{ column }})) <= {{ placeholders | map('length') | max }}
            and lower(trim({{ column }})) in (
                {%- for value in placeholders %}'{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor -%}
            )
            then null
        when {{ dbt.position("'  '", column) }} > 0
            {%- for code in [9, 10, 12, 13] %}
            or {{ dbt.position('chr(' ~ code ~ ')', column) }} > 0
            {%- endfor %}
            then nullif(trim(regexp_replace({{ column }}, '\s+', ' ', 'g')), '')
        else nullif(trim({{ column }}), '')
    end
{% endmacro %}
