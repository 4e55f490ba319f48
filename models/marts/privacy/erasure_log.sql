-- Proof that erasure requests were applied: one row per clean erasure request, with
-- how many customers it removed from the marts on this build. No personal data: the
-- request is named by its id (a hash of email and request time).
with

erasure_requests as (
    select * from {{ ref('stg_privacy__erasure_requests') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

final as (
    select
        erasure_requests.erasure_request_id,
        erasure_requests.requested_at,
        count(distinct identifiers.customer_id) as customers_erased,
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date
    from erasure_requests
    left join identifiers
        on identifiers.identifier_key = 'email:' || erasure_requests.email_match_key
    group by 1, 2
)

select * from final
