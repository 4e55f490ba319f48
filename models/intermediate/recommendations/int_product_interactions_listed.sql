{{
    config(
        materialized='incremental',
        unique_key='interaction_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where customer_id is null",
            "delete from {{ this }} where customer_id in (select erased.customer_id from {{ ref('int_customers_erased') }} as erased)",
        ],
    )
}}
-- depends_on: {{ ref('int_sales_converted') }}
-- depends_on: {{ ref('base_shop__orders') }}
-- depends_on: {{ ref('base_shop__order_items') }}
-- One row per interaction of a customer with a product: the implicit feedback the
-- recommendation models learn from. Revenue web/app order lines are purchases;
-- add-to-cart and product-view events of identified visitors are carts and views
-- (till sales carry no products). Customers being erased are left out
-- (int_sales_filtered already leaves them out of the purchases).
-- The events come from int_web_events_sessionised, a table holding every identified
-- event, not the identification view: on the 1,000,000-customer daily warehouse the
-- view's joins took the whole 2,400 MB DuckDB cap and spilled 1.3 GB (23.1 s), and
-- ran out of memory beside int_customer_categories_summarised in a daily run; from the
-- table, 5.7 s, nothing spilled, the same 26,315,123 rows.
--
-- Incremental: a run lists again only the interactions whose inputs changed since its
-- last run (listed_at): the lines of the orders int_sales_converted converted again
-- (new, changed, re-keyed to another customer, or due now that the as-of date moved
-- on: base_shop__orders re-checks the orders it held back as future) and of the
-- orders whose header or lines the base models wrote again (new, changed or removed;
-- a removed order leaves no converted row to carry a stamp), and every view and
-- cart of the customers int_web_events_sessionised re-sessionised (an identified
-- visitor's key is its customer: new, moved and removed events). Their rows are
-- replaced (delete+insert by interaction_id); a changed interaction that no longer
-- exists (removed, no longer revenue, moved to an anonymous visitor or to a customer
-- being erased) gets a marker row (null customer_id) so the delete removes its old
-- row, and the post-hooks delete the markers and every interaction of a customer
-- being erased (a customer erased since the last run keeps unchanged rows until
-- then). The result equals a full refresh (tests/python/test_incremental.py).
-- dbt.datediff and the joins render longer than a line:
-- noqa: disable=LT05
with

{% if is_incremental() %}
previous_run as (
    select coalesce(max(listed_at), cast('1970-01-01' as timestamp)) as listed_at
    from {{ this }}
),

changed_orders as (
    -- the orders int_sales_converted converted again, and those whose header or a
    -- line the base models wrote again (a removed order leaves no converted row)
    select converted.source_sale_id as order_id
    from {{ ref('int_sales_converted') }} as converted
    where
        converted.sale_source = 'shop'
        and converted.converted_at > (select previous_run.listed_at from previous_run)
    union
    select base_orders.order_id
    from {{ ref('base_shop__orders') }} as base_orders
    where base_orders.loaded_at > (select previous_run.listed_at from previous_run)
    union
    select base_lines.order_id
    from {{ ref('base_shop__order_items') }} as base_lines
    where base_lines.loaded_at > (select previous_run.listed_at from previous_run)
),

resessionised_customers as (
    -- the customers whose events int_web_events_sessionised wrote again (a visitor
    -- whose events changed is re-sessionised whole) ...
    select distinct sessionised.customer_id
    from {{ ref('int_web_events_sessionised') }} as sessionised
    where
        sessionised.customer_id is not null
        and sessionised.sessionised_at > (select previous_run.listed_at from previous_run)
    union
    -- ... and those listed with browsing who have no event left (a visitor left with
    -- none has no row to carry the run's stamp)
    select distinct previous.customer_id
    from {{ this }} as previous
    where
        previous.interaction_kind in ('cart', 'view')
        and not exists (
            select 1 from {{ ref('int_web_events_sessionised') }} as sessionised
            where sessionised.customer_id = previous.customer_id
        )
),

changed_interactions as (
    -- as listed before: the changed orders' lines and the re-sessionised customers'
    -- browsing (those listed now are written whole)
    select previous.interaction_id
    from {{ this }} as previous
    where
        previous.interaction_kind = 'purchase'
        and previous.interaction_id in (
            select 'line:' || base_lines.order_item_id
            from {{ ref('base_shop__order_items') }} as base_lines
            where base_lines.order_id in (select changed_orders.order_id from changed_orders)
        )
    union
    select previous.interaction_id
    from {{ this }} as previous
    where
        previous.interaction_kind in ('cart', 'view')
        and previous.customer_id in (select resessionised_customers.customer_id from resessionised_customers)
),
{% endif %}

sales as (
    select
        customer_id,
        source_sale_id,
        sold_at
    from {{ ref('int_sales_filtered') }}
    where
        is_revenue and sale_source = 'shop'
    {% if is_incremental() %}
        and source_sale_id in (select changed_orders.order_id from changed_orders)
    {% endif %}
),

order_items as (
    select
        order_item_id,
        order_id,
        product_id
    from {{ ref('stg_shop__order_items') }}
),

events as (
    select
        event_id,
        customer_id,
        product_id,
        event_type,
        event_at
    from {{ ref('int_web_events_sessionised') }}
    where
        customer_id is not null
        and product_id is not null
        and event_type in ('product_view', 'add_to_cart')
    {% if is_incremental() %}
        and customer_id in (select resessionised_customers.customer_id from resessionised_customers)
    {% endif %}
),

erased as (
    select customer_id from {{ ref('int_customers_erased') }}
),

purchases as (
    select
        'line:' || order_items.order_item_id as interaction_id,
        sales.customer_id,
        order_items.product_id,
        'purchase' as interaction_kind,
        sales.sold_at as interacted_at
    from sales
    inner join order_items on sales.source_sale_id = order_items.order_id
),

browsing as (
    select
        'event:' || event_id as interaction_id,
        customer_id,
        product_id,
        case when event_type = 'add_to_cart' then 'cart' else 'view' end as interaction_kind,
        event_at as interacted_at
    from events
    where customer_id not in (select erased.customer_id from erased)
),

final as (
    select
        interaction_id,
        customer_id,
        product_id,
        interaction_kind,
        interacted_at,
        {{ run_started_timestamp() }} as listed_at
    from (
        select * from purchases
        union all
        select * from browsing
    ) as interactions
)

select * from final
{% if is_incremental() %}
    union all
    -- the markers of changed interactions no longer listed (removed by the post-hook)
    select
        changed_interactions.interaction_id,
        null as customer_id,
        null as product_id,
        null as interaction_kind,
        null as interacted_at,
        {{ run_started_timestamp() }} as listed_at
    from changed_interactions
    where not exists (
        select 1 from final as listed
        where listed.interaction_id = changed_interactions.interaction_id
    )
{% endif %}
