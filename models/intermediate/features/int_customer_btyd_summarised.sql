-- One row per customer with a revenue sale before the as-of cutoff: the summary
-- "buy till you die" models (BG/NBD, Gamma-Gamma) take, in the conventions of the
-- lifetimes package: purchase days, not orders (two on one day count once);
-- frequency = repeat purchase days; recency = days from the first to the last
-- purchase day; T = days from the first purchase day to the as-of date; monetary
-- value = mean value of the repeat purchase days (0 without repeats).
-- dbt.datediff renders longer than a line:
-- noqa: disable=LT05
with

sales as (
    select * from {{ ref('int_sales_filtered') }}
    where is_revenue
),

as_of as (
    select {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date
),

purchase_days as (
    select
        customer_id,
        sale_date,
        sum(net_revenue_reporting) as day_value,
        row_number() over (partition by customer_id order by sale_date) as day_number
    from sales
    group by 1, 2
),

summarised as (
    select
        purchase_days.customer_id,
        count(*) - 1 as btyd_frequency,
        {{ dbt.datediff('min(purchase_days.sale_date)', 'max(purchase_days.sale_date)', 'day') }} as btyd_recency,
        {{ dbt.datediff('min(purchase_days.sale_date)', 'max(as_of.as_of_date)', 'day') }} as btyd_t,
        coalesce(avg(case when purchase_days.day_number > 1 then purchase_days.day_value end), 0)
            as btyd_monetary_value
    from purchase_days
    cross join as_of
    group by 1
)

select * from summarised
