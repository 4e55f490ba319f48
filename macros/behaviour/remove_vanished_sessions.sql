{#
    Post-hook of the incremental int_web_sessions_aggregated and fct_sessions: delete
    the sessions `events` no longer holds (the visitor was re-keyed, or its events
    removed upstream, or its customer erased). `events`: int_web_events_sessionised
    for the aggregation, int_web_sessions_aggregated for the published copy.

    `by`: what is compared. `session_id`: a session goes when no row of `events` has
    its id. `visitor_key` (both models): a session goes when its visitor has nothing
    left in `events`. That is enough because a visitor with events left whose
    sessions changed was re-sessionised (and its sessions restamped), and the model's
    delete+insert by visitor_key already replaced all of its sessions; visitors are
    dropped whole (moved, vanished, erased). It compares the distinct visitors (about
    1.4 M at 1,000,000 customers) instead of every event's session id (49 M), the
    hash table that spilled under the 6 GB cap, or every session's id in the
    published copy (14.0 s of a 1,000,000-customer daily run). The incremental test
    (tests/python/test_incremental.py) compares the result with a full refresh.
#}
{% macro remove_vanished_sessions(events, by='session_id') %}
    {% if is_incremental() %}
        delete from {{ this }} as sessions
        where not exists (
            {% if by == 'session_id' %}
                select 1 from {{ events }} as events
                where events.session_id = sessions.session_id
            {% elif by == 'visitor_key' %}
                select 1 from (select distinct visitor_key from {{ events }}) as visitors
                where visitors.visitor_key = sessions.visitor_key
            {% else %}
                {{ exceptions.raise_compiler_error("remove_vanished_sessions: by must be session_id or visitor_key, not " ~ by) }}
            {% endif %}
        )
    {% else %}
        select 1
    {% endif %}
{% endmacro %}
