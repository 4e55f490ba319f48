-- The sales the customer features are computed from: those of a known customer who is
-- not being erased, made before the end of the as-of date (point in time: nothing
-- later is read), with how many days before that cutoff each was made.
{{ config(materialized='view') }}
-- dbt.datediff renders longer than a line:
-- noqa: disable=LT05
with

sales as (
    select * from {{ ref('int_sales_converted') }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
),

as_of as (
    select {{ as_of_cutoff(ref('base_run__as_of_date')) }} as as_of_cutoff
),

filtered as (
    select
        sales.sale_id,
        sales.source_sale_id,
        sales.sale_source,
        sales.customer_id,
        sales.net_revenue_reporting,
        sales.refund_amount_reporting,
        sales.fx_rate_to_reporting,
        sales.is_revenue,
        sales.is_refunded,
        cast(sales.sold_at as date) as sale_date,
        sales.sold_at,
        {{ dbt.datediff('sales.sold_at', 'as_of.as_of_cutoff', 'day') }} as days_ago
    from sales
    cross join as_of
    where
        sales.customer_id is not null
        and sales.sold_at < as_of.as_of_cutoff
        and {{ is_not_erased('sales.customer_id', 'erased') }}
)

select * from filtered
