-- Every customer in at least one segment has exactly one primary segment.
select customer_id
from {{ ref('customer_segments') }}
group by 1
having count(case when is_primary_segment then 1 end) <> 1
