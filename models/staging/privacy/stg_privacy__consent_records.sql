with

consent_records as (
    select * from {{ ref('base_privacy__consent_records') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    consent_record_id,
    email,
    email_match_key,
    consent_purpose,
    consent_status,
    recorded_at,
    loaded_at
from consent_records
