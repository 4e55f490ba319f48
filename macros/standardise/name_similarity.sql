{#
    Best string_similarity of two names, each given as typed (match key) and with
    nicknames resolved (canonical): max over the four combinations, so a typo in a
    nickname still matches the formal name ("Chrlie" ~ "Charles" via "charlie").
#}
{% macro name_similarity(a_key, a_canonical, b_key, b_canonical) %}
    greatest(
        {{ c360.string_similarity(a_key, b_key) }},
        {{ c360.string_similarity(a_canonical, b_canonical) }},
        {{ c360.string_similarity(a_key, b_canonical) }},
        {{ c360.string_similarity(a_canonical, b_key) }}
    )
{% endmacro %}
