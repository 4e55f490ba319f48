{#
    The visitor of each web/app event in `web_events` (a relation or CTE with the
    columns of stg_web__events): the customer the login resolves to, else the one the
    device resolves to, else `anonymous:<anonymous_id>`, through `identifiers`
    (int_identifiers_resolved). The one definition of an event's visitor:
    int_web_events_identified applies it to every clean event; the incremental
    int_web_events_sessionised to the few changed events, whose current visitors it
    needs. Joining the view to those events instead made DuckDB identify every event
    and build its hash table on them (9.1 of 20.0 s of the 1,000,000-customer daily
    select, 1.5 GB spilled).
#}
{% macro identify_web_events(web_events, identifiers) %}
    select
        web_events.event_id,
        coalesce(
            by_login.customer_id, by_device.customer_id, 'anonymous:' || web_events.anonymous_id
        ) as visitor_key,
        coalesce(by_login.customer_id, by_device.customer_id) as customer_id,
        web_events.anonymous_id,
        web_events.event_type,
        web_events.page_path,
        web_events.product_id,
        web_events.device_type,
        web_events.referrer_host,
        web_events.utm_source,
        web_events.utm_medium,
        web_events.event_at
    from {{ web_events }} as web_events
    left join {{ identifiers }} as by_login
        on by_login.identifier_key = 'contact_id:' || web_events.user_id
    left join {{ identifiers }} as by_device
        on by_device.identifier_key = 'anonymous_id:' || web_events.anonymous_id
{% endmacro %}
