{#
    Jaro-Winkler similarity of two strings, 0 (nothing alike) to 1 (equal); null
    when either is null. Used by the identity matcher's fuzzy rules.
#}
{% macro string_similarity(left_value, right_value) %}
    {{ return(adapter.dispatch('string_similarity', 'c360')(left_value, right_value)) }}
{% endmacro %}

{% macro duckdb__string_similarity(left_value, right_value) %}
    jaro_winkler_similarity({{ left_value }}, {{ right_value }})
{% endmacro %}
