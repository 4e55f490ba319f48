with

erasure_requests as (
    select * from {{ ref('base_privacy__erasure_requests') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    erasure_request_id,
    email,
    email_match_key,
    requested_at
from erasure_requests
