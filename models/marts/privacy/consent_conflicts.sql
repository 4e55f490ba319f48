-- Where identity resolution joined emails whose latest consent decisions disagree:
-- one row per customer, purpose and email, with that email's latest decision and
-- the status the customer is given (the most restrictive: withdrawn).
with

customer_consents as (
    select * from {{ ref('customer_consents') }}
    where has_conflict
),

consents_latest as (
    select * from {{ ref('int_consents_latest') }}
),

final as (
    select
        consents_latest.email_consent_id,
        customer_consents.customer_id,
        consents_latest.email_match_key,
        customer_consents.consent_purpose,
        consents_latest.consent_status as email_consent_status,
        customer_consents.consent_status as resolved_consent_status,
        consents_latest.recorded_at
    from customer_consents
    inner join consents_latest
        on
            customer_consents.customer_id = consents_latest.customer_id
            and customer_consents.consent_purpose = consents_latest.consent_purpose
)

select * from final
