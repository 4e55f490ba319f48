-- Segment membership for BI.
with

customer_segments as (
    select * from {{ ref('customer_segments') }}
)

select
    customer_segment_id,
    customer_id,
    segment_id,
    segment_name,
    segment_type,
    is_primary_segment,
    as_of_date
from customer_segments
