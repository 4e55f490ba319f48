-- No customer feature is computed from an order after the as-of date.
select
    customer_id,
    last_order_at,
    as_of_date
from {{ ref('customer_features') }}
where
    last_order_at >= {{ dbt.dateadd('day', 1, 'cast(as_of_date as timestamp)') }}
    or recency_days < 0
    or days_since_last_activity < 0
