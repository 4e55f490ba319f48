{#
    A where-clause condition that keeps rows whose customer is not being erased
    (int_customers_erased). Rows with no customer (null) are kept. Every mart that
    carries customer_id filters with it, so an erasure request empties them of the
    person on the next build.
#}
{% macro is_not_erased(customer_id) %}
    not exists (
        select 1 from {{ ref('int_customers_erased') }} as erased
        where erased.customer_id = {{ customer_id }}
    )
{% endmacro %}
