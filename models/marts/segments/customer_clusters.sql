-- Published, contract-enforced copy of int_customer_clusters_assigned (a dbt Python model).
with

int_customer_clusters_assigned as (
    select * from {{ ref('int_customer_clusters_assigned') }}
)

select
    customer_id,
    cluster_id,
    is_outlier_assigned,
    pca_x,
    pca_y,
    algorithm
from int_customer_clusters_assigned
