{#
    Post-hook of the incremental int_web_events_sessionised. The run replaced the rows
    of every visitor whose events changed; a visitor left with no event at all gets no
    new rows, so their old rows stay behind. They are the rows an earlier run wrote
    whose event has a row from this run (it moved to another visitor: a later login
    identified the device), and the rows whose event is no longer in `events`
    (stg_web__events, passed by the model's config: removed upstream). Two deletes,
    each a join on narrow columns (one condition joined by `or` plans as two mark
    joins over the whole table, slower than both deletes together).
#}
{% macro remove_moved_web_events(events) %}
    {% if is_incremental() %}
        delete from {{ this }} as sessionised
        where
            sessionised.sessionised_at < {{ run_started_timestamp() }}
            and sessionised.event_id in (
                select written.event_id from {{ this }} as written
                where written.sessionised_at = {{ run_started_timestamp() }}
            );
        delete from {{ this }} as sessionised
        where not exists (
            select 1 from {{ events }} as current_events
            where current_events.event_id = sessionised.event_id
        )
    {% else %}
        select 1
    {% endif %}
{% endmacro %}
