-- The customer scores a dashboard shows: RFM, engagement, affinity and persona.
with

features as (
    select * from {{ ref('int_segment_inputs_joined') }}
)

select
    customer_id,
    rfm_segment,
    top_category,
    persona,
    r_score,
    f_score,
    m_score,
    orders_count,
    monetary_value,
    recency_days,
    engagement_score,
    as_of_date
from features
