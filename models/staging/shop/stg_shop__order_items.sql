with

order_items as (
    select * from {{ ref('base_shop__order_items') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    order_item_id,
    order_id,
    product_id,
    line_number,
    quantity,
    unit_price,
    discount_amount,
    gross_amount,
    net_amount,
    loaded_at
from order_items
