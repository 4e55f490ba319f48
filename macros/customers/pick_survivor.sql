{#
    Survivorship: per customer, the first row of `from_cte` in `order_by` order
    among rows where `condition` holds, as a select of customer_id, the given
    value columns and the contact_id they came from (as `<prefix>_source_contact_id`).
#}
{% macro pick_survivor(from_cte, value_columns, order_by, condition, prefix) %}
    select
        customer_id,
        {%- for column in value_columns %}
        {{ column }},
        {%- endfor %}
        contact_id as {{ prefix }}_source_contact_id
    from (
        select
            *,
            row_number() over (partition by customer_id order by {{ order_by }}) as survivor_rank
        from {{ from_cte }}
        where {{ condition }}
    ) as ranked
    where survivor_rank = 1
{% endmacro %}
