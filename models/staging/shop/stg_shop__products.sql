with

products as (
    select * from {{ ref('base_shop__products') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    product_id,
    product_name,
    category,
    brand,
    product_description,
    quality_flags,
    list_price
from products
