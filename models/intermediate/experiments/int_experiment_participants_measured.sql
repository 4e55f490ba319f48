-- One row per experiment and customer assigned to it: the variant (null when the
-- customer was assigned to more than one: two devices, two logins; such customers are
-- left out of the results), the first assignment time, and what the customer did in
-- the `outcome_window_days` from it: revenue purchases (web, app and till), their
-- revenue in the reporting currency, and email clicks. A window that ends after the
-- as-of date is not complete yet; the results leave those customers out too.
-- Customers being erased are left out here.
{% set settings = var('experiments') %}
with

assignments as (
    select * from {{ ref('int_experiment_assignments_resolved') }}
    where customer_id is not null
),

erased as (
    select customer_id from {{ ref('int_customers_erased') }}
),

sales as (
    select
        customer_id,
        sold_at,
        net_revenue_reporting
    from {{ ref('int_sales_filtered') }}
    where is_revenue
),

clicks as (
    select
        customer_id,
        event_at
    from {{ ref('int_email_events_identified') }}
    where event_type = 'click'
),

as_of as (
    select cast({{ as_of_cutoff(ref('base_run__as_of_date')) }} as timestamp) as cutoff_at
),

participants as (
    select
        experiment_id,
        customer_id,
        min(assigned_at) as assigned_at,
        case when count(distinct variant) = 1 then min(variant) end as variant,
        count(*) as assignments,
        count(distinct variant) > 1 as is_in_several_variants
    from assignments
    where customer_id not in (select erased.customer_id from erased)
    group by 1, 2
),

windows as (
    select
        participants.*,
        {{ dbt.dateadd('day', settings['outcome_window_days'], 'participants.assigned_at') }} as window_ends_at
    from participants
),

purchases as (
    select
        windows.experiment_id,
        windows.customer_id,
        count(*) as orders,
        sum(sales.net_revenue_reporting) as revenue
    from windows
    inner join sales
        on
            windows.customer_id = sales.customer_id
            and windows.assigned_at <= sales.sold_at
            and windows.window_ends_at > sales.sold_at
    group by 1, 2
),

clicked as (
    select distinct
        windows.experiment_id,
        windows.customer_id
    from windows
    inner join clicks
        on
            windows.customer_id = clicks.customer_id
            and windows.assigned_at <= clicks.event_at
            and windows.window_ends_at > clicks.event_at
),

final as (
    select
        windows.experiment_id || ':' || windows.customer_id as participant_id,
        windows.experiment_id,
        windows.customer_id,
        windows.variant,
        windows.assigned_at,
        windows.window_ends_at,
        windows.assignments,
        windows.is_in_several_variants,
        windows.window_ends_at <= as_of.cutoff_at as is_outcome_complete,
        coalesce(purchases.orders, 0) > 0 as has_converted,
        coalesce(purchases.orders, 0) as orders,
        cast(coalesce(purchases.revenue, 0) as double) as revenue,
        clicked.customer_id is not null as has_clicked_email
    from windows
    cross join as_of
    left join purchases
        on windows.experiment_id = purchases.experiment_id and windows.customer_id = purchases.customer_id
    left join clicked
        on windows.experiment_id = clicked.experiment_id and windows.customer_id = clicked.customer_id
)

select * from final
