-- Each experiment of the experiment_designs seed has exactly one control, at least one
-- other variant, and planned shares that sum to 1.
select
    experiment_id,
    count(*) as variants,
    count(case when is_control then 1 end) as controls,
    sum(planned_share) as total_share
from {{ ref('experiment_designs') }}
group by 1
having
    count(case when is_control then 1 end) <> 1
    or count(*) < 2
    or abs(sum(planned_share) - 1) > 0.000001
