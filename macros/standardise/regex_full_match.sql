{#
    True when the whole of `expression` matches the regular expression `pattern`
    (a SQL string literal, RE2 syntax). The one place the project's regex matching
    depends on the engine.
#}
{% macro regex_full_match(expression, pattern) %}
    {{ return(adapter.dispatch('regex_full_match', 'c360')(expression, pattern)) }}
{% endmacro %}

{% macro duckdb__regex_full_match(expression, pattern) %}
    regexp_full_match({{ expression }}, {{ pattern }})
{% endmacro %}

{% macro default__regex_full_match(expression, pattern) %}
    regexp_like({{ expression }}, '^(?:' || {{ pattern }} || ')$')
{% endmacro %}
