{#
    Post-hook for tables that keep history across builds (snapshots, incremental
    models): delete the rows of customers being erased. `erased` is the relation listing
    them (ref('int_customers_erased'), written in the model's config). Models rebuilt
    from scratch filter with is_not_erased instead. A ref in a hook does not order the
    build, so the model must also declare `-- depends_on: {{ ref('int_customers_erased') }}`.
#}
{% macro erase_customers(erased, customer_id='customer_id') %}
    delete from {{ this }}
    where {{ customer_id }} in (select erased_customers.customer_id from {{ erased }} as erased_customers)
{% endmacro %}
