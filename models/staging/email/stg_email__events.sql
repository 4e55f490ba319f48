with

email_events as (
    select * from {{ ref('base_email__events') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    email_event_id,
    campaign_id,
    email,
    email_match_key,
    event_type,
    quality_flags,
    event_at,
    loaded_at
from email_events
