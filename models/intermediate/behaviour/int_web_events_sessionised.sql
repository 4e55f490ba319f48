{{
    config(
        materialized='incremental',
        unique_key='visitor_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=["delete from {{ this }} where event_id is null"],
    )
}}
-- depends_on: {{ ref('int_identifiers_tracked') }}
-- depends_on: {{ ref('int_identifiers_resolved') }}
-- depends_on: {{ ref('base_web__events') }}
-- depends_on: {{ ref('stg_web__events') }}
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
-- Their rows are replaced (delete+insert by visitor_key). A changed visitor left with
-- no event (its events moved to another visitor, or were removed) gets one marker row
-- (visitor_key, null event_id), so the delete removes its old rows too; the post-hook
-- deletes the markers, a scan that skips every row group without a null event_id.
-- (It replaced two deletes that matched the written rows' event ids and the
-- re-written raw rows against the whole table: 34.3 s of a 1,000,000-customer daily
-- run.) Each visitor's sessions depend only on their own events, so the result
-- equals a full refresh (tests/python/test_incremental.py builds both and compares).
--
-- The changed events are found without comparing every event with its last version:
-- an event's attributes change only when base_web__events writes its row again
-- (new, re-checked or removed: its loaded_at is newer than this model's last run;
-- the base model, not the staging view, holds the removed rows), and its visitor
-- only when one of its identifiers (the login's contact, the device) resolves to
-- another customer (int_identifiers_tracked's changed_at is newer). Their visitors
-- now and in the rows last written are the visitors to re-sessionise. Settings
-- (session_timeout_minutes) and seeds need a full refresh.
--
-- On an incremental run the changed events are picked from the clean events first
-- and identified after (identify_web_events, the view's own definition), and the
-- identified events (the view) are read once, for the changed visitors' events. On
-- the 1,000,000-customer daily warehouse the select took 10.5 to 12.2 s instead of
-- 20.6 to 21.8 s (in-process, 2 threads, 2,400 MB), nothing spilled instead of
-- 1.5 GB, the same rows. A full build reads the view twice instead (the narrow
-- ordering passes, then the join back): keeping every event once as a CTE spilled
-- its 9 GB of wide rows. With the second pass ordered by position, the select took
-- 134.1 s instead of 193.7 s on the 1,000,000-customer warehouse (in-process,
-- 2 threads, 2,400 MB; 17.9 GB spilled instead of 36.1 GB), the same rows.
{%- set events_source = 'events' if is_incremental() else ref('int_web_events_identified') %}
with

{% if is_incremental() %}
previous_run as (
    select {{ previous_run_stamp('sessionised_at') }} as sessionised_at
),

changed_identifiers as (
    select identifier_key from {{ ref('int_identifiers_tracked') }}
    where changed_at > (select previous_run.sessionised_at from previous_run)
),

-- the clean events changed since the last run: written again by base_web__events
-- (new, or re-checked: every row of a re-checked key is written again), or with a
-- login or device identifier that resolves to another customer now. Three filters
-- a scan can apply before reading the other columns (the run stamp's, and the two
-- identifiers' semi-joins on a few keys), not one whose OR reads every event whole.
changed_web_events as (
    select web_events.* from {{ ref('stg_web__events') }} as web_events
    where web_events.loaded_at > (select previous_run.sessionised_at from previous_run)
    {%- for column, prefix in [('user_id', 'contact_id:'), ('anonymous_id', 'anonymous_id:')] %}
        union all
        select web_events.* from {{ ref('stg_web__events') }} as web_events
        where web_events.{{ column }} in (
            select substr(changed_identifiers.identifier_key, {{ prefix | length + 1 }})
            from changed_identifiers
            where substr(changed_identifiers.identifier_key, 1, {{ prefix | length }}) = '{{ prefix }}'
        )
    {%- endfor %}
),

-- the changed events' ids, removed events included (base_web__events, not the
-- staging view, holds the rows it removes)
changed_events as (
    select raw_events.event_id from {{ ref('base_web__events') }} as raw_events
    where raw_events.loaded_at > (select previous_run.sessionised_at from previous_run)
    union
    select changed_web_events.event_id from changed_web_events
),

changed_visitors as (
    -- the changed events' visitors now (identified after they are picked: picking
    -- them from the identified view made DuckDB identify every event and build its
    -- hash table on them), and those they had when last sessionised
    select changed_now.visitor_key
    from (
        {{ identify_web_events('changed_web_events', ref('int_identifiers_resolved')) }}
    ) as changed_now
    union
    select previous.visitor_key
    from {{ this }} as previous
    where previous.event_id in (select changed_events.event_id from changed_events)
),

-- the changed visitors' events, kept once for the ordering passes, the join back
-- and the markers
events as (
    select identified.*
    from {{ ref('int_web_events_identified') }} as identified
    inner join changed_visitors on identified.visitor_key = changed_visitors.visitor_key
),
{% endif %}

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
    from {{ events_source }}
    window visitor_events as (partition by visitor_key order by event_at, event_id)
),

starts as (
    select
        *,
        coalesce(seconds_since_previous_event > {{ var('session_timeout_minutes') }} * 60, true) as starts_session
    from gaps
),

-- one more pass in the same order (by position, a number, cheaper to sort than the
-- time and id): the running count of session starts numbers the sessions, and the
-- position of the latest start places each event in its session
numbered as (
    select
        event_id,
        seconds_since_previous_event,
        count(case when starts_session then 1 end) over visitor_so_far as session_number,
        position_in_visitor
        - max(case when starts_session then position_in_visitor end) over visitor_so_far
        + 1 as event_number_in_session
    from starts
    window visitor_so_far as (
        partition by visitor_key order by position_in_visitor rows between unbounded preceding and current row
    )
),

final as (
    select
        events.event_id,
        {{ session_id('events.visitor_key', 'numbered.session_number') }} as session_id,
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
        {{ run_started_timestamp() }} as sessionised_at,
        events.event_at
    from {{ events_source }} as events
    inner join numbered on events.event_id = numbered.event_id
    {% if is_incremental() %}
        union all
        -- the markers of changed visitors left with no event (removed by the post-hook)
        select
            null as event_id,
            null as session_id,
            changed_visitors.visitor_key,
            null as customer_id,
            null as anonymous_id,
            null as event_type,
            null as page_path,
            null as product_id,
            null as device_type,
            null as referrer_host,
            null as utm_source,
            null as utm_medium,
            null as session_number,
            null as event_number_in_session,
            null as seconds_since_previous_event,
            {{ run_started_timestamp() }} as sessionised_at,
            null as event_at
        from changed_visitors
        where not exists (
            select 1 from events as remaining
            where remaining.visitor_key = changed_visitors.visitor_key
        )
    {% endif %}
)

select * from final
