-- One row per sale: web and app orders and in-store till transactions, amounts in
-- the reporting currency with refunds and cancellations netted (rules in
-- int_sales_converted). customer_id is null for till sales without a loyalty card
-- and for orders naming a contact that is not in the CRM.
with

sales as (
    select * from {{ ref('int_sales_converted') }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
)

select
    sale_id as order_id,
    source_sale_id as source_order_id,
    customer_id,
    sale_source,
    sales_channel,
    order_status,
    currency_code,
    units,
    line_count,
    sale_amount,
    discount_amount,
    fx_rate_to_reporting,
    is_fx_rate_missing,
    sale_amount_reporting,
    discount_amount_reporting,
    refund_amount_reporting,
    net_revenue_reporting,
    is_revenue,
    is_refunded,
    cast(sold_at as date) as order_date,
    sold_at as ordered_at
from sales
where {{ is_not_erased('sales.customer_id', 'erased') }}
