with

orders as (
    select * from {{ ref('base_shop__orders') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    order_id,
    customer_ref,
    customer_ref_type,
    customer_email,
    customer_email_match_key,
    order_status,
    sales_channel,
    currency_code,
    quality_flags,
    total_amount,
    ordered_at,
    loaded_at
from orders
