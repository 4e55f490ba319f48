{#
    Post-hook for tables that keep history across builds (snapshots, incremental
    models): delete the rows of customers being erased. Models that are rebuilt from
    scratch filter with is_not_erased instead. The model must also declare
    `-- depends_on: {{ ref('int_customers_erased') }}` so it runs after the list.
#}
{% macro erase_customers(customer_id='customer_id') %}
    delete from {{ this }}
    where {{ customer_id }} in (select customer_id from {{ ref('int_customers_erased') }})
{% endmacro %}
