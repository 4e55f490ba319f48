{#
    Matching form of a name: lowercased, accents removed (ß -> ss), and anything
    that is not a letter a-z dropped ("Zoë O'Brien" -> "zoeobrien"). Null when
    nothing is left.
#}
{% macro name_match_key(column) %}
    {{ return(adapter.dispatch('name_match_key', 'c360')(column)) }}
{% endmacro %}

{% macro duckdb__name_match_key(column) %}
    nullif(regexp_replace(strip_accents(replace(lower({{ column }}), 'ß', 'ss')), '[^a-z]', '', 'g'), '')
{% endmacro %}
