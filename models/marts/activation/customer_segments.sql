-- Segment membership, customer x segment: dynamic segments recomputed on every run
-- from the rules in the segment_definitions seed (compiled by the
-- segment_membership_sql macro), static segments as frozen at their last refresh
-- (int_segment_members_frozen), with each customer's primary segment: the member
-- segment with the lowest priority number.
with

definitions as (
    select distinct
        segment_id,
        segment_name,
        segment_type,
        priority
    from {{ ref('segment_definitions') }}
),

inputs as (
    select * from {{ ref('int_segment_inputs_joined') }}
),

frozen_members as (
    select * from {{ ref('int_segment_members_frozen') }}
),

dynamic_members as (
    {{ segment_membership_sql(ref('segment_definitions'), ref('int_segment_inputs_joined'), 'dynamic') }}
),

members as (
    select
        customer_id,
        segment_id
    from dynamic_members
    union all
    -- a frozen member whose customer no longer exists (erased, or merged into another) drops out
    select
        frozen_members.customer_id,
        frozen_members.segment_id
    from frozen_members
    inner join inputs on frozen_members.customer_id = inputs.customer_id
),

final as (
    select
        members.customer_id || ':' || members.segment_id as customer_segment_id,
        members.customer_id,
        members.segment_id,
        definitions.segment_name,
        definitions.segment_type,
        definitions.priority,
        row_number() over (
            partition by members.customer_id order by definitions.priority, members.segment_id
        ) = 1 as is_primary_segment,
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date
    from members
    inner join definitions on members.segment_id = definitions.segment_id
)

select * from final
