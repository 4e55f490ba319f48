with

assignments as (
    select * from {{ ref('base_experiments__assignments') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    raw_row_id as assignment_id,
    experiment_id,
    variant,
    customer_ref,
    customer_ref_type,
    customer_email_match_key,
    anonymous_id,
    assigned_at
from assignments
