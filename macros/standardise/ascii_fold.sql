{#
    Lowercase text with accents removed and ß spelt ss ("Zoë Weiß" -> "zoe weiss").
#}
{% macro ascii_fold(column) %}
    {{ return(adapter.dispatch('ascii_fold', 'c360')(column)) }}
{% endmacro %}

{% macro duckdb__ascii_fold(column) %}
    strip_accents(replace(lower({{ column }}), 'ß', 'ss'))
{% endmacro %}
