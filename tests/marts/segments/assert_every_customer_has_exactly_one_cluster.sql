-- Every customer in dim_customers has exactly one row in customer_clusters.
select
    dim_customers.customer_id,
    count(customer_clusters.customer_id) as cluster_rows
from {{ ref('dim_customers') }} as dim_customers
left join {{ ref('customer_clusters') }} as customer_clusters
    on dim_customers.customer_id = customer_clusters.customer_id
group by 1
having count(customer_clusters.customer_id) <> 1
