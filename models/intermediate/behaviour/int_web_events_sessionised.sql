{{
    config(
        materialized='incremental',
        unique_key='visitor_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=["{{ remove_moved_web_events(ref('int_web_events_identified')) }}"],
    )
}}
-- Web and app events grouped into sessions, per visitor (int_web_events_identified).
-- A new session starts at a visitor's first event and after every gap longer than
-- `session_timeout_minutes` (default 30; a gap of exactly the timeout continues the
-- session). Events are ordered by time, then event id, so out-of-order arrival does
-- not matter and a session may cross midnight. Times are UTC, so DST changes do not
-- stretch or split sessions.
--
-- Incremental: a run re-sessionises only the visitors whose events changed since the
-- last run — a new event (of any age, so late arrivals are placed correctly and
-- sessions spanning a day boundary are rebuilt whole), a changed or removed event,
-- or an event now resolved to another visitor (a later login identifying a device).
-- Their rows are replaced (delete+insert by visitor_key); events that moved to
-- another visitor or disappeared are deleted by the post-hook. Each visitor's
-- sessions depend only on their own events, so the result equals a full refresh
-- (tests/python/test_incremental.py builds both and compares).
with

identified as (
    select * from {{ ref('int_web_events_identified') }}
),

{% if is_incremental() %}
previous as (
    select
        event_id,
        visitor_key,
        event_fingerprint
    from {{ this }}
),

changed_visitors as (
    -- new, changed or re-keyed events: their current visitor
    select identified.visitor_key
    from identified
    left join previous on identified.event_id = previous.event_id
    where previous.event_fingerprint is distinct from identified.event_fingerprint
    union
    -- changed, re-keyed or vanished events: the visitor they belonged to
    select previous.visitor_key
    from previous
    left join identified on previous.event_id = identified.event_id
    where identified.event_fingerprint is distinct from previous.event_fingerprint
),
{% endif %}

events as (
    select identified.*
    from identified
    {% if is_incremental() %}
        inner join changed_visitors on identified.visitor_key = changed_visitors.visitor_key
    {% endif %}
),

gaps as (
    select
        *,
        {{ dbt.datediff(
            'lag(event_at) over (partition by visitor_key order by event_at, event_id)',
            'event_at',
            'second'
        ) }} as seconds_since_previous_event
    from events
),

numbered as (
    select
        *,
        sum(
            case
                when
                    seconds_since_previous_event is null
                    or seconds_since_previous_event > {{ var('session_timeout_minutes') }} * 60
                    then 1
                else 0
            end
        ) over (
            partition by visitor_key order by event_at, event_id rows between unbounded preceding and current row
        ) as session_number
    from gaps
),

final as (
    select
        event_id,
        md5(visitor_key || ':' || cast(session_number as varchar)) as session_id,
        visitor_key,
        customer_id,
        anonymous_id,
        event_type,
        page_path,
        product_id,
        device_type,
        referrer_host,
        utm_source,
        utm_medium,
        session_number,
        row_number() over (partition by visitor_key, session_number order by event_at, event_id)
            as event_number_in_session,
        seconds_since_previous_event,
        event_fingerprint,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as sessionised_at,
        event_at
    from numbered
)

select * from final
