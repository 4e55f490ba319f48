-- The summary "buy till you die" models (BG/NBD, Gamma-Gamma) take, per customer
-- with a revenue sale before the cutoff, at two cutoffs: the scoring cutoff (midnight
-- after the as-of date; these rows are the btyd_* customer features) and the
-- calibration cutoff `predictions.clv_holdout_days` earlier, whose rows also carry
-- what the customer did in the holdout window between the two (the lifetime value
-- models are checked against it). In the conventions of the lifetimes package:
-- purchase days, not orders (two on one day count once); frequency = repeat purchase
-- days; recency = days from the first to the last purchase day; T = days from the
-- first purchase day to the day before the cutoff; monetary value = mean value of the
-- repeat purchase days (0 without repeats).
{% set settings = var('predictions') %}
-- dbt.datediff renders longer than a line:
-- noqa: disable=LT05
with

sales as (
    select * from {{ ref('int_sales_filtered') }}
    where is_revenue
),

scoring as (
    select cast({{ as_of_cutoff(ref('base_run__as_of_date')) }} as date) as cutoff_date
),

cutoffs as (
    select
        cutoff_date,
        true as is_scoring_cutoff
    from scoring
    union all
    select
        cast({{ dbt.dateadd('day', -settings['clv_holdout_days'], 'cutoff_date') }} as date) as cutoff_date,
        false as is_scoring_cutoff
    from scoring
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
        cutoffs.cutoff_date,
        cutoffs.is_scoring_cutoff,
        count(*) - 1 as btyd_frequency,
        {{ dbt.datediff('min(purchase_days.sale_date)', 'max(purchase_days.sale_date)', 'day') }} as btyd_recency,
        {{ dbt.datediff('min(purchase_days.sale_date)', 'cutoffs.cutoff_date', 'day') }} - 1 as btyd_t,
        coalesce(avg(case when purchase_days.day_number > 1 then purchase_days.day_value end), 0)
            as btyd_monetary_value
    from purchase_days
    inner join cutoffs on purchase_days.sale_date < cutoffs.cutoff_date
    group by 1, 2, 3
),

-- sales are all before the scoring cutoff (int_sales_filtered), so the window after
-- the calibration cutoff is the holdout window
holdout as (
    select
        purchase_days.customer_id,
        cutoffs.cutoff_date,
        count(*) as holdout_purchase_days,
        sum(purchase_days.day_value) as holdout_revenue
    from purchase_days
    inner join cutoffs on not cutoffs.is_scoring_cutoff and purchase_days.sale_date >= cutoffs.cutoff_date
    group by 1, 2
),

final as (
    select
        {{ dbt.concat(['summarised.customer_id', "':'", dbt.cast('summarised.cutoff_date', dbt.type_string())]) }}
            as customer_cutoff_id,
        summarised.customer_id,
        summarised.cutoff_date,
        summarised.is_scoring_cutoff,
        summarised.btyd_frequency,
        summarised.btyd_recency,
        summarised.btyd_t,
        summarised.btyd_monetary_value,
        case when not summarised.is_scoring_cutoff then coalesce(holdout.holdout_purchase_days, 0) end
            as holdout_purchase_days,
        case when not summarised.is_scoring_cutoff then coalesce(holdout.holdout_revenue, 0) end as holdout_revenue
    from summarised
    left join holdout
        on summarised.customer_id = holdout.customer_id and summarised.cutoff_date = holdout.cutoff_date
)

select * from final
