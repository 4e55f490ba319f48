-- Every row of one segment carries the same name, description, owner, type and priority.
select segment_id
from {{ ref('segment_definitions') }}
group by 1
having
    count(distinct segment_name) > 1
    or count(distinct description) > 1
    or count(distinct owner) > 1
    or count(distinct segment_type) > 1
    or count(distinct priority) > 1
