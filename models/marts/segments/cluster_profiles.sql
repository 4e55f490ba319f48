-- Published, contract-enforced copy of int_cluster_profiles_described (a dbt Python model).
with

int_cluster_profiles_described as (
    select * from {{ ref('int_cluster_profiles_described') }}
)

select
    cluster_id,
    persona,
    persona_family,
    customers,
    share,
    rules,
    tree_training_accuracy,
    mean_orders_count,
    zdiff_orders_count,
    mean_monetary_value,
    zdiff_monetary_value,
    mean_avg_order_value,
    zdiff_avg_order_value,
    mean_recency_days,
    zdiff_recency_days,
    mean_tenure_days,
    zdiff_tenure_days,
    mean_sessions_90d,
    zdiff_sessions_90d,
    mean_views_90d,
    zdiff_views_90d,
    mean_email_open_rate,
    zdiff_email_open_rate,
    mean_email_click_rate,
    zdiff_email_click_rate,
    mean_category_entropy,
    zdiff_category_entropy,
    mean_discount_share,
    zdiff_discount_share,
    mean_days_since_last_activity,
    zdiff_days_since_last_activity
from int_cluster_profiles_described
