{{
    config(
        materialized='incremental',
        unique_key='segment_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=["{{ erase_customers(ref('int_customers_erased')) }}"],
    )
}}
-- depends_on: {{ ref('int_customers_erased') }}
-- Members of the static segments, frozen. A static segment is computed on the first
-- run whose as-of date has reached its refreshed_on date, and kept as it was until
-- its refreshed_on changes in the segment_definitions seed (then it is recomputed and
-- replaces the old membership). Customers being erased are deleted after each run.
with

definitions as (
    select distinct
        segment_id,
        refreshed_on
    from {{ ref('segment_definitions') }}
    where segment_type = 'static'
),

{% if is_incremental() %}
stored as (
    select
        segment_id,
        max(refreshed_on) as refreshed_on
    from {{ this }}
    group by 1
),
{% endif %}

due as (
    select definitions.*
    from definitions
    {% if is_incremental() %}
        left join stored on definitions.segment_id = stored.segment_id
        where
            definitions.refreshed_on <= {{ as_of_date(ref('base_run__as_of_date')) }}
            and stored.refreshed_on is distinct from definitions.refreshed_on
    {% else %}
        where definitions.refreshed_on <= {{ as_of_date(ref('base_run__as_of_date')) }}
    {% endif %}
),

members as (
    {{ segment_membership_sql(ref('segment_definitions'), ref('int_segment_inputs_joined'), 'static') }}
),

final as (
    select
        members.customer_id || ':' || members.segment_id as customer_segment_id,
        members.customer_id,
        members.segment_id,
        due.refreshed_on,
        {{ as_of_date(ref('base_run__as_of_date')) }} as frozen_as_of_date
    from members
    inner join due on members.segment_id = due.segment_id
)

select * from final
