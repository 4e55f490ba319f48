{#
    Post-hook of the incremental fct_sessions: delete sessions none of whose events
    is still in int_web_events_sessionised under that session id (the visitor was
    re-keyed, or its events removed upstream).
#}
{% macro remove_vanished_sessions() %}
    {% if is_incremental() %}
        delete from {{ this }} as sessions
        where not exists (
            select 1 from {{ ref('int_web_events_sessionised') }} as events
            where events.session_id = sessions.session_id
        )
    {% else %}
        select 1
    {% endif %}
{% endmacro %}
