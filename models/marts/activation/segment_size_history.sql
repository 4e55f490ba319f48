{{
    config(
        materialized='incremental',
        unique_key='segment_run_id',
        on_schema_change='fail',
    )
}}
-- One row per build and segment: size, share of customers, members as primary
-- segment, and stability against the previous build (members retained, entered,
-- exited), read from the membership history snapshot at the two builds' times.
with

snapshot as (
    select * from {{ ref('customer_segments_snapshot') }}
),

customer_segments as (
    select * from {{ ref('customer_segments') }}
),

definitions as (
    select distinct segment_id
    from {{ ref('segment_definitions') }}
),

customers as (
    select count(*) as customers from {{ ref('dim_customers') }}
),

previous_build as (
    {% if is_incremental() %}
        select max(snapshot_at) as snapshot_at from {{ this }}
    {% else %}
        select cast(null as timestamp) as snapshot_at
    {% endif %}
),

current_build as (
    select max(coalesce(valid_to, valid_from)) as snapshot_at from snapshot
),

spells as (
    select
        snapshot.segment_id,
        snapshot.valid_to is null as is_current,
        coalesce(
            snapshot.valid_from <= previous_build.snapshot_at
            and (snapshot.valid_to is null or snapshot.valid_to > previous_build.snapshot_at),
            false
        ) as was_member
    from snapshot
    cross join previous_build
),

spell_counts as (
    select
        segment_id,
        count(case when is_current then 1 end) as members,
        count(case when was_member then 1 end) as previous_members,
        count(case when was_member and is_current then 1 end) as retained_members
    from spells
    group by 1
),

primary_counts as (
    select
        segment_id,
        count(*) as primary_members
    from customer_segments
    where is_primary_segment
    group by 1
),

final as (
    select
        '{{ invocation_id }}:' || definitions.segment_id as segment_run_id,
        '{{ invocation_id }}' as run_id,
        definitions.segment_id,
        coalesce(spell_counts.members, 0) as members,
        coalesce(primary_counts.primary_members, 0) as primary_members,
        customers.customers,
        coalesce(spell_counts.members, 0) * 1.0 / nullif(customers.customers, 0) as member_share,
        coalesce(primary_counts.primary_members, 0) * 1.0 / nullif(customers.customers, 0) as primary_share,
        coalesce(spell_counts.previous_members, 0) as previous_members,
        coalesce(spell_counts.retained_members, 0) as retained_members,
        coalesce(spell_counts.members, 0) - coalesce(spell_counts.retained_members, 0) as entered_members,
        coalesce(spell_counts.previous_members, 0) - coalesce(spell_counts.retained_members, 0) as exited_members,
        spell_counts.retained_members * 1.0 / nullif(spell_counts.previous_members, 0) as retention_rate,
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date,
        {{ run_started_timestamp() }} as run_started_at,
        current_build.snapshot_at
    from definitions
    cross join customers
    cross join current_build
    left join spell_counts on definitions.segment_id = spell_counts.segment_id
    left join primary_counts on definitions.segment_id = primary_counts.segment_id
)

select * from final
