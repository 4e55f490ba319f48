-- Web and app orders and in-store till transactions in one shape, with amounts in
-- the reporting currency (`reporting_currency` var), refunds and cancellations
-- netted out, and the buyer resolved to a customer where the data allows.
-- Keys: `shop:<order_id>` and `pos:<transaction_id>`, so the two systems' ids never
-- collide. Conversion: a sale already in the reporting currency needs no rate (1);
-- otherwise the rates (the user's fx_rates raw file if given, else the bundled
-- fx_rates seed) of the sale's month, or of the nearest earlier month that has one
-- (each currency separately); with no earlier rate at all the
-- reporting amounts are null and is_fx_rate_missing is set (a warn-severity test
-- counts them): the sale is kept, never dropped or failed.
--   completed, shipped: revenue (net = order total);
--   refunded, returned: refunded in full (net 0, refund = order total);
--   cancelled, pending: not revenue (net 0);
--   till sales: revenue; a negative till amount is a return (net negative).
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

identity_map as (
    select * from {{ ref('int_identifiers_resolved') }}
),

user_fx_rates as (
    select * from {{ ref('stg_fx__rates') }}
),

bundled_fx_rates as (
    select * from {{ ref('fx_rates') }}
),

fx_rates as (
    -- the user's rates (fx_rates raw file) when there are any, else the bundled seed's:
    -- never mixed, as each set has its own base currency
    select
        currency_code,
        rate_month,
        units_per_base
    from user_fx_rates
    union all
    select
        currency_code,
        rate_month,
        cast(units_per_gbp as double) as units_per_base
    from bundled_fx_rates
    where not exists (select 1 from user_fx_rates)
),

order_lines as (
    select
        order_id,
        count(*) as line_count,
        cast(sum(quantity) as bigint) as units,
        cast(sum(discount_amount) as decimal(18, 2)) as discount_amount
    from order_items
    group by 1
),

shop_sales as (
    select
        'shop:' || orders.order_id as sale_id,
        orders.order_id as source_sale_id,
        'shop' as sale_source,
        {{ customer_ref_identifier_key(
            'orders.customer_ref_type', 'orders.customer_ref', 'orders.customer_email_match_key'
        ) }} as buyer_identifier_key,
        orders.sales_channel,
        orders.order_status,
        orders.currency_code,
        orders.total_amount as sale_amount,
        coalesce(order_lines.discount_amount, 0) as discount_amount,
        coalesce(order_lines.units, 0) as units,
        coalesce(order_lines.line_count, 0) as line_count,
        orders.order_status in ('completed', 'shipped') as is_revenue,
        orders.order_status in ('refunded', 'returned') as is_refunded,
        orders.ordered_at as sold_at
    from orders
    left join order_lines on orders.order_id = order_lines.order_id
),

till_sales as (
    select
        'pos:' || transaction_id as sale_id,
        transaction_id as source_sale_id,
        'pos' as sale_source,
        'loyalty_id:' || loyalty_id as buyer_identifier_key,
        'store' as sales_channel,
        case when is_return then 'returned' else 'completed' end as order_status,
        currency_code,
        amount as sale_amount,
        cast(0 as decimal(18, 2)) as discount_amount,
        cast(null as bigint) as units,
        cast(null as bigint) as line_count,
        true as is_revenue,
        false as is_refunded,
        transacted_at as sold_at
    from pos_transactions
),

sales as (
    select * from shop_sales
    union all
    select * from till_sales
),

sale_months as (
    -- every (currency, month) a rate is needed for: the sales' and the reporting
    -- currency's in the same months
    select distinct
        currency_code,
        cast({{ dbt.date_trunc('month', 'sold_at') }} as date) as sale_month
    from sales
    union
    select distinct
        '{{ var("reporting_currency") }}' as currency_code,
        cast({{ dbt.date_trunc('month', 'sold_at') }} as date) as sale_month
    from sales
),

month_rates as (
    -- the latest rate of each currency at or before each month (a few hundred rows)
    select
        sale_months.currency_code,
        sale_months.sale_month,
        fx_rates.units_per_base,
        row_number() over (
            partition by sale_months.currency_code, sale_months.sale_month
            order by fx_rates.rate_month desc
        ) as rate_recency
    from sale_months
    inner join fx_rates
        on
            sale_months.currency_code = fx_rates.currency_code
            and sale_months.sale_month >= fx_rates.rate_month
),

converted as (
    select
        sales.*,
        identity_map.customer_id,
        case
            when sales.currency_code = '{{ var("reporting_currency") }}' then 1.0
            else reporting_rate.units_per_base / sale_rate.units_per_base
        end as fx_rate_to_reporting
    from sales
    left join identity_map on sales.buyer_identifier_key = identity_map.identifier_key
    left join month_rates as sale_rate
        on
            sales.currency_code = sale_rate.currency_code
            and cast({{ dbt.date_trunc('month', 'sales.sold_at') }} as date) = sale_rate.sale_month
            and sale_rate.rate_recency = 1
    left join month_rates as reporting_rate
        on
            reporting_rate.currency_code = '{{ var("reporting_currency") }}'
            and cast({{ dbt.date_trunc('month', 'sales.sold_at') }} as date) = reporting_rate.sale_month
            and reporting_rate.rate_recency = 1
),

final as (
    select
        sale_id,
        source_sale_id,
        sale_source,
        customer_id,
        sales_channel,
        order_status,
        currency_code,
        is_revenue,
        is_refunded,
        units,
        line_count,
        sale_amount,
        discount_amount,
        fx_rate_to_reporting,
        fx_rate_to_reporting is null as is_fx_rate_missing,
        cast(round(sale_amount * fx_rate_to_reporting, 2) as decimal(18, 2)) as sale_amount_reporting,
        cast(round(discount_amount * fx_rate_to_reporting, 2) as decimal(18, 2)) as discount_amount_reporting,
        cast(case when is_refunded then round(sale_amount * fx_rate_to_reporting, 2) else 0 end as decimal(18, 2))
            as refund_amount_reporting,
        cast(case when is_revenue then round(sale_amount * fx_rate_to_reporting, 2) else 0 end as decimal(18, 2))
            as net_revenue_reporting,
        sold_at
    from converted
)

select * from final
