{#
    Post-hook of the incremental int_web_events_sessionised. The run replaced the rows
    of every visitor whose events changed; a visitor left with no event at all gets no
    new rows, so their old rows stay behind. They are the rows an earlier run wrote
    whose event has a row from this run (it moved to another visitor: a later login
    identified the device), and the rows whose event's raw row was written again
    after they were sessionised (`written_events`: base_web__events, passed by the
    model's config, whose loaded_at stamps each write; a removed event's row is
    re-written as quarantined or duplicate). The second delete's inner filter keeps
    only the raw rows written since the newest old row, so neither delete reads the
    whole event stream.
#}
{% macro remove_moved_web_events(written_events) %}
    {% if is_incremental() %}
        delete from {{ this }} as sessionised
        where
            sessionised.sessionised_at < {{ run_started_timestamp() }}
            and sessionised.event_id in (
                select written.event_id from {{ this }} as written
                where written.sessionised_at = {{ run_started_timestamp() }}
            );
        delete from {{ this }} as sessionised
        where
            sessionised.sessionised_at < {{ run_started_timestamp() }}
            and exists (
                select 1
                from {{ written_events }} as rewritten
                where
                    rewritten.event_id = sessionised.event_id
                    and rewritten.loaded_at > sessionised.sessionised_at
                    and rewritten.loaded_at > (
                        select max(old.sessionised_at) from {{ this }} as old
                        where old.sessionised_at < {{ run_started_timestamp() }}
                    )
            )
    {% else %}
        select 1
    {% endif %}
{% endmacro %}
