-- Segment sizes and stability per build, for trend charts.
with

segment_sizes as (
    select * from {{ ref('segment_size_history') }}
)

select
    segment_run_id,
    segment_id,
    members,
    member_share,
    entered_members,
    exited_members,
    retention_rate,
    as_of_date,
    run_started_at
from segment_sizes
