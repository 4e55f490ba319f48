-- Published, contract-enforced copy of int_cluster_profiles_described (a dbt Python model).
{{ published_copy(ref('int_cluster_profiles_described')) }}
