{#
    Matching form of a name: lowercased, accents removed (ß -> ss), and anything
    that is not a letter a-z dropped ("Zoë O'Brien" -> "zoeobrien"). Null when
    nothing is left.
#}
{% macro name_match_key(column) %}
    nullif(regexp_replace({{ c360.ascii_fold(column) }}, '[^a-z]', '', 'g'), '')
{% endmacro %}
