with

rates as (
    select * from {{ ref('base_fx__rates') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    currency_code,
    rate_month,
    units_per_base
from rates
