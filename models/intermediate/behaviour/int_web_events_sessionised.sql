-- Web and app events grouped into sessions. A visitor is the resolved customer
-- when the device is identified (a login on it, now or later), else the anonymous
-- id. A new session starts at a visitor's first event and after every gap longer
-- than `session_timeout_minutes` (default 30; a gap of exactly the timeout continues
-- the session). Events are ordered by time, then event id, so out-of-order arrival
-- does not matter and a session may cross midnight. Times are UTC, so DST changes
-- do not stretch or split sessions.
with

web_events as (
    select * from {{ ref('stg_web__events') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

identified as (
    select
        web_events.*,
        coalesce(by_login.customer_id, by_device.customer_id) as customer_id,
        coalesce(
            by_login.customer_id, by_device.customer_id, 'anonymous:' || web_events.anonymous_id
        ) as visitor_key
    from web_events
    left join identifiers as by_login
        on by_login.identifier_key = 'contact_id:' || web_events.user_id
    left join identifiers as by_device
        on by_device.identifier_key = 'anonymous_id:' || web_events.anonymous_id
),

gaps as (
    select
        *,
        {{ dbt.datediff(
            'lag(event_at) over (partition by visitor_key order by event_at, event_id)',
            'event_at',
            'second'
        ) }} as seconds_since_previous_event
    from identified
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
        event_at
    from numbered
)

select * from final
