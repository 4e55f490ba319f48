with

web_events as (
    select * from {{ ref('base_web__events') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    event_id,
    anonymous_id,
    user_id,
    product_id,
    event_type,
    page_url,
    page_path,
    utm_source,
    utm_medium,
    utm_campaign,
    referrer,
    referrer_host,
    device_type,
    quality_flags,
    event_at,
    loaded_at
from web_events
