-- Published, contract-enforced copy of int_customer_clusters_assigned (a dbt Python model).
{{ published_copy(ref('int_customer_clusters_assigned')) }}
