-- Orders and till sales for BI (fct_orders holds no personal data beyond the
-- pseudonymous customer id).
with

orders as (
    select * from {{ ref('fct_orders') }}
)

select
    order_id,
    customer_id,
    sale_source,
    sales_channel,
    order_status,
    currency_code,
    sale_amount,
    net_revenue_reporting,
    refund_amount_reporting,
    is_revenue,
    is_refunded,
    order_date,
    ordered_at
from orders
