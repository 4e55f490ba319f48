{#
    A session's id from its visitor and its number among the visitor's sessions: the
    one definition, used by int_web_events_sessionised (each event's session) and
    int_web_sessions_aggregated (which groups by the two columns, narrower than the id).
#}
{% macro session_id(visitor_key, session_number) -%}
    md5({{ visitor_key }} || ':' || cast({{ session_number }} as {{ dbt.type_string() }}))
{%- endmacro %}
