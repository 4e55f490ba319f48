{#
    Post-hook of the incremental int_web_sessions_aggregated and fct_sessions: delete
    sessions no row of `events` still holds under that session id (the visitor was
    re-keyed, or its events removed upstream, or its customer erased). `events`:
    int_web_events_sessionised for the aggregation, int_web_sessions_aggregated for
    the published copy.
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
