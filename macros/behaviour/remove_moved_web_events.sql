{#
    Post-hook of the incremental int_web_events_sessionised: delete the rows whose
    event no longer exists in `identified` (int_web_events_identified, passed by the
    model's config) with the same visitor
    (removed upstream, or re-keyed to another visitor by a later login). Their new
    rows, if any, were inserted with the new visitor's sessions.
#}
{% macro remove_moved_web_events(identified) %}
    {% if is_incremental() %}
        delete from {{ this }} as sessionised
        where not exists (
            select 1 from {{ identified }} as identified
            where
                identified.event_id = sessionised.event_id
                and identified.visitor_key = sessionised.visitor_key
        )
    {% else %}
        select 1
    {% endif %}
{% endmacro %}
