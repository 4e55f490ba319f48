{#
    Post-hook of the incremental int_web_sessions_aggregated: delete sessions none of
    whose events is still in `events` (int_web_events_sessionised, passed by the model)
    under that session id (the visitor was re-keyed, or its events removed upstream).
#}
{% macro remove_vanished_sessions(events) %}
    {% if is_incremental() %}
        delete from {{ this }} as sessions
        where not exists (
            select 1 from {{ events }} as events
            where events.session_id = sessions.session_id
        )
    {% else %}
        select 1
    {% endif %}
{% endmacro %}
