-- Every clean web/app event with its visitor: the resolved customer when the
-- device is identified (a login on it, now or later), else the anonymous id.
-- A view: identification runs inside sessionisation's query, so every event is not
-- written once more as a wide table between the two.
{{ config(materialized='view') }}
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

final as (
    select
        event_id,
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
        event_at
    from identified
)

select * from final
