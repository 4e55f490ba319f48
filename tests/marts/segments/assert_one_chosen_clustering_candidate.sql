-- Exactly one clustering candidate is chosen per run.
select
    run_id,
    count(case when is_chosen then 1 end) as chosen
from {{ ref('model_runs') }}
where step = 'clustering'
group by 1
having count(case when is_chosen then 1 end) <> 1
