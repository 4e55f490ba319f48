-- One row per customer with a revenue sale: recency, frequency and monetary quintile
-- scores among buyers (1-5, 5 best; rank-based, so equal values share a score) and
-- the RFM segment named by the usual grid.
-- dbt.datediff renders longer than a line:
-- noqa: disable=LT05
with

orders as (
    select * from {{ ref('int_customer_orders_summarised') }}
    where orders_count > 0
),

as_of as (
    select {{ as_of_cutoff(ref('base_run__as_of_date')) }} as as_of_cutoff
),

measured as (
    select
        orders.customer_id,
        orders.orders_count,
        cast(orders.monetary_value as decimal(18, 2)) as monetary_value,
        {{ dbt.datediff('orders.last_order_at', 'as_of.as_of_cutoff', 'day') }} as recency_days
    from orders
    cross join as_of
),

ranked as (
    select
        customer_id,
        cast(1 + floor(5.0 * (rank() over (order by recency_days desc) - 1) / count(*) over ()) as integer)
            as r_score,
        cast(1 + floor(5.0 * (rank() over (order by orders_count) - 1) / count(*) over ()) as integer)
            as f_score,
        cast(1 + floor(5.0 * (rank() over (order by monetary_value) - 1) / count(*) over ()) as integer)
            as m_score
    from measured
),

scored as (
    select
        customer_id,
        r_score,
        f_score,
        m_score,
        case
            when r_score >= 4 and f_score >= 4 then 'champions'
            when r_score >= 3 and f_score >= 3 then 'loyal'
            when r_score >= 4 and f_score = 2 then 'potential_loyalist'
            when r_score = 5 and f_score = 1 then 'new_customer'
            when r_score = 4 and f_score = 1 then 'promising'
            when r_score = 3 then 'need_attention'
            when r_score = 1 and f_score >= 5 then 'cannot_lose_them'
            when r_score <= 2 and f_score >= 3 then 'at_risk'
            when r_score = 2 then 'hibernating'
            else 'lost'
        end as rfm_segment
    from ranked
)

select * from scored
