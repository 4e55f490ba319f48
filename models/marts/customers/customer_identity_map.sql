-- Every source identifier that belongs to a customer, with its customer_id.
with

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
)

select
    identifier_key,
    identifier_type,
    identifier_value,
    customer_id,
    resolved_by,
    is_anchor,
    is_shared_identifier,
    first_seen_at
from identifiers
where {{ is_not_erased('identifiers.customer_id', 'erased') }}
