-- Customers to erase: every customer holding an email named in an erasure request
-- (matched on the email match key, so gmail dot and +tag variants count too). The
-- whole customer goes: every contact, email, loyalty id and device resolved to it.
-- Marts, snapshots, model inputs and exports leave these customers out
-- (the is_not_erased macro and the erase_customers post-hook).
with

erasure_requests as (
    select * from {{ ref('stg_privacy__erasure_requests') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

matched as (
    select
        identifiers.customer_id,
        erasure_requests.erasure_request_id,
        erasure_requests.requested_at
    from erasure_requests
    inner join identifiers
        on identifiers.identifier_key = 'email:' || erasure_requests.email_match_key
),

final as (
    select
        customer_id,
        count(distinct erasure_request_id) as erasure_requests,
        min(requested_at) as first_requested_at
    from matched
    group by 1
)

select * from final
