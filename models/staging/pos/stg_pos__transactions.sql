with

transactions as (
    select * from {{ ref('base_pos__transactions') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    transaction_id,
    loyalty_id,
    store_id,
    currency_code,
    amount,
    is_return,
    transacted_at
from transactions
