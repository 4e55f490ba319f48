-- Every row of one segment carries the same name, description, owner, type, refresh date
-- and priority, and a refresh date is given exactly for static segments.
select segment_id
from {{ ref('segment_definitions') }}
group by 1
having
    count(distinct segment_name) > 1
    or count(distinct description) > 1
    or count(distinct owner) > 1
    or count(distinct segment_type) > 1
    or count(distinct priority) > 1
    or count(distinct refreshed_on) > 1
    or bool_or((segment_type = 'static') <> (refreshed_on is not null))
