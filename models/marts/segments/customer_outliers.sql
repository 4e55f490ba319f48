-- Published, contract-enforced copy of int_customer_outliers_detected (a dbt Python model).
with

int_customer_outliers_detected as (
    select * from {{ ref('int_customer_outliers_detected') }}
)

select
    customer_id,
    max_abs_z,
    top_feature,
    is_z_outlier,
    isolation_forest_score,
    is_isolation_forest_outlier,
    lof_score,
    is_lof_outlier,
    outlier_votes,
    is_outlier,
    outlier_reason,
    training_rows
from int_customer_outliers_detected
