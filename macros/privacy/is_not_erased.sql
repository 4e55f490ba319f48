{#
    A where-clause condition that keeps rows whose customer is not being erased.
    `erased` is the relation (or CTE) listing them, int_customers_erased, passed by the
    model so its ref stays visible there. Rows with no customer (null) are kept. Every
    model rebuilt from scratch that carries customer_id filters with it, so an erasure
    request empties it of the person on the next build.
#}
{% macro is_not_erased(customer_id, erased) %}
    not exists (
        select 1 from {{ erased }} as erased_customers
        where erased_customers.customer_id = {{ customer_id }}
    )
{% endmacro %}
