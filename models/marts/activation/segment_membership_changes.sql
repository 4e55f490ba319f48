-- Entered and exited events per build, from the membership history snapshot: a spell
-- opening is an entry, a spell closing an exit (at the time of the build that saw it).
with

snapshot as (
    select * from {{ ref('customer_segments_snapshot') }}
),

events as (
    select
        customer_segment_id,
        customer_id,
        segment_id,
        'entered' as change_type,
        valid_from as changed_at
    from snapshot
    union all
    select
        customer_segment_id,
        customer_id,
        segment_id,
        'exited' as change_type,
        valid_to as changed_at
    from snapshot
    where valid_to is not null
),

final as (
    select
        md5(customer_segment_id || '|' || change_type || '|' || cast(changed_at as varchar)) as membership_change_id,
        customer_id,
        segment_id,
        change_type,
        changed_at
    from events
)

select * from final
