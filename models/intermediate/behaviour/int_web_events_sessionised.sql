{{
    config(
        materialized='incremental',
        unique_key='visitor_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=["{{ remove_moved_web_events(ref('stg_web__events')) }}"],
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
-- Their rows are replaced (delete+insert by visitor_key); the rows of a visitor left
-- with no event are deleted by the post-hook. Each visitor's sessions depend only on
-- their own events, so the result equals a full refresh
-- (tests/python/test_incremental.py builds both and compares).
--
-- On an incremental run the identified events (a view) are read twice: narrow, to
-- find the changed visitors, and for those visitors' events. One shared read would be
-- held in full (DuckDB keeps a CTE read twice): every event, wide, which spilled at
-- scale. On a full build `events` is every event and is kept once for the ordering
-- passes and the join back; reading the view separately for each ran out of memory
-- under a 6 GB cap at 1,000,000 customers.
with

{% if is_incremental() %}
identified_fingerprints as (
    select
        event_id,
        visitor_key,
        event_fingerprint
    from {{ ref('int_web_events_identified') }}
),

previous as (
    select
        event_id,
        visitor_key,
        event_fingerprint
    from {{ this }}
),

-- one pass over both sides: an event new, changed, re-keyed or gone since the last
-- run has no partner or another fingerprint (re-keying changes the fingerprint)
changes as (
    select
        identified.visitor_key as current_visitor_key,
        previous.visitor_key as previous_visitor_key
    from identified_fingerprints as identified
    full outer join previous on identified.event_id = previous.event_id
    where identified.event_fingerprint is distinct from previous.event_fingerprint
),

changed_visitors as (
    -- the event's current visitor, and the visitor it belonged to
    select current_visitor_key as visitor_key
    from changes
    where current_visitor_key is not null
    union
    select previous_visitor_key as visitor_key
    from changes
    where previous_visitor_key is not null
),
{% endif %}

identified as (
    select * from {{ ref('int_web_events_identified') }}
),

events as (
    select identified.*
    from identified
    {% if is_incremental() %}
        inner join changed_visitors on identified.visitor_key = changed_visitors.visitor_key
    {% endif %}
),

-- the ordering passes run on a narrow projection (id, visitor, time); the other
-- columns are joined back once, by event id, at the end: sorting every wide row
-- once per window was most of this model's cost
gaps as (
    select
        event_id,
        visitor_key,
        event_at,
        {{ dbt.datediff('lag(event_at) over visitor_events', 'event_at', 'second') }}
            as seconds_since_previous_event,
        row_number() over visitor_events as position_in_visitor
    from events
    window visitor_events as (partition by visitor_key order by event_at, event_id)
),

starts as (
    select
        *,
        coalesce(seconds_since_previous_event > {{ var('session_timeout_minutes') }} * 60, true) as starts_session
    from gaps
),

-- one more pass in the same order: the running count of session starts numbers the
-- sessions, and the position of the latest start places each event in its session
numbered as (
    select
        event_id,
        seconds_since_previous_event,
        sum(case when starts_session then 1 else 0 end) over visitor_so_far as session_number,
        position_in_visitor
        - max(case when starts_session then position_in_visitor end) over visitor_so_far
        + 1 as event_number_in_session
    from starts
    window visitor_so_far as (
        partition by visitor_key order by event_at, event_id rows between unbounded preceding and current row
    )
),

final as (
    select
        events.event_id,
        md5(events.visitor_key || ':' || cast(numbered.session_number as varchar)) as session_id,
        events.visitor_key,
        events.customer_id,
        events.anonymous_id,
        events.event_type,
        events.page_path,
        events.product_id,
        events.device_type,
        events.referrer_host,
        events.utm_source,
        events.utm_medium,
        numbered.session_number,
        numbered.event_number_in_session,
        numbered.seconds_since_previous_event,
        events.event_fingerprint,
        {{ run_started_timestamp() }} as sessionised_at,
        events.event_at
    from events
    inner join numbered on events.event_id = numbered.event_id
)

select * from final
