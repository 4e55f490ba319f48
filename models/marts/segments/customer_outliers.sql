-- Published, contract-enforced copy of int_customer_outliers_detected (a dbt Python model).
{{ published_copy(ref('int_customer_outliers_detected')) }}
