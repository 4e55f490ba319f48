-- The product catalogue with what the clean order lines say about each product.
with

products as (
    select * from {{ ref('stg_shop__products') }}
),

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
),

sales as (
    select
        product_id,
        count(distinct order_id) as orders,
        cast(sum(quantity) as bigint) as units_ordered
    from order_items
    group by 1
)

select
    products.product_id,
    products.product_name,
    products.category,
    products.brand,
    products.list_price,
    coalesce(sales.orders, 0) as orders,
    coalesce(sales.units_ordered, 0) as units_ordered
from products
left join sales on products.product_id = sales.product_id
