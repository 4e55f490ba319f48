{#
    Display form of a personal name: white space collapsed, each word, and each
    part of a hyphenated or apostrophised word, capitalised
    ("  o'BRIEN-smith " -> "O'Brien-Smith"). Mc/Mac prefixes are left as typed
    after the first letter ("McDonald" -> "Mcdonald"); accents are kept.
#}
{% macro proper_case(column) %}
    {{ return(adapter.dispatch('proper_case', 'c360')(column)) }}
{% endmacro %}

{% macro duckdb__proper_case(column) %}
    array_to_string(
        list_transform(
            string_split(lower({{ c360.clean_text(column) }}), ' '),
            lambda w: array_to_string(
                list_transform(
                    string_split(w, '-'),
                    lambda h: array_to_string(
                        list_transform(string_split(h, ''''), lambda a: upper(left(a, 1)) || substr(a, 2)),
                        ''''
                    )
                ),
                '-'
            )
        ),
        ' '
    )
{% endmacro %}
