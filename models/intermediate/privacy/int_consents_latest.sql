-- The latest consent decision per email and purpose, with the customer the email
-- resolves to. A later record replaces an earlier one for the same email and
-- purpose; at the same instant staging has already kept the withdrawal.
with

consent_records as (
    select * from {{ ref('stg_privacy__consent_records') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

ranked as (
    select
        consent_records.*,
        row_number() over (
            partition by consent_records.email_match_key, consent_records.consent_purpose
            order by consent_records.recorded_at desc, consent_records.consent_status desc
        ) as recency_rank
    from consent_records
),

final as (
    select
        ranked.email_match_key || ':' || ranked.consent_purpose as email_consent_id,
        identifiers.customer_id,
        ranked.email_match_key,
        ranked.consent_purpose,
        ranked.consent_status,
        ranked.recorded_at
    from ranked
    inner join identifiers on identifiers.identifier_key = 'email:' || ranked.email_match_key
    where ranked.recency_rank = 1
)

select * from final
