-- One row per interaction of a customer with a product: the implicit feedback the
-- recommendation models learn from. Revenue web/app order lines are purchases;
-- add-to-cart and product-view events of identified visitors are carts and views
-- (till sales carry no products). Customers being erased are left out
-- (int_sales_filtered already leaves them out of the purchases).
-- The events come from int_web_events_sessionised, a table holding every identified
-- event, not the identification view: on the 1,000,000-customer daily warehouse the
-- view's joins took the whole 2,400 MB DuckDB cap and spilled 1.3 GB (23.1 s), and
-- ran out of memory beside int_customer_categories_summarised in a daily run; from the
-- table, 5.7 s, nothing spilled, the same 26,315,123 rows.
with

sales as (
    select
        customer_id,
        source_sale_id,
        sold_at
    from {{ ref('int_sales_filtered') }}
    where is_revenue and sale_source = 'shop'
),

order_items as (
    select
        order_item_id,
        order_id,
        product_id
    from {{ ref('stg_shop__order_items') }}
),

events as (
    select
        event_id,
        customer_id,
        product_id,
        event_type,
        event_at
    from {{ ref('int_web_events_sessionised') }}
    where
        customer_id is not null
        and product_id is not null
        and event_type in ('product_view', 'add_to_cart')
),

erased as (
    select customer_id from {{ ref('int_customers_erased') }}
),

purchases as (
    select
        'line:' || order_items.order_item_id as interaction_id,
        sales.customer_id,
        order_items.product_id,
        'purchase' as interaction_kind,
        sales.sold_at as interacted_at
    from sales
    inner join order_items on sales.source_sale_id = order_items.order_id
),

browsing as (
    select
        'event:' || event_id as interaction_id,
        customer_id,
        product_id,
        case when event_type = 'add_to_cart' then 'cart' else 'view' end as interaction_kind,
        event_at as interacted_at
    from events
    where customer_id not in (select erased.customer_id from erased)
),

final as (
    select * from purchases
    union all
    select * from browsing
)

select * from final
