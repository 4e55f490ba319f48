-- Consent per customer and marketing purpose (every purpose in the consent vocabulary),
-- from the latest decision on each of the customer's emails. No record means no
-- consent. When identity resolution joined emails whose latest decisions disagree,
-- the most restrictive wins (withdrawn) and has_conflict is set (details in
-- consent_conflicts).
with

customers as (
    select * from {{ ref('dim_customers') }}
),

purposes as (
    select distinct canonical_value as consent_purpose
    from {{ ref('vocab_consent_purposes') }}
),

consents_latest as (
    select * from {{ ref('int_consents_latest') }}
),

decisions as (
    select
        customer_id,
        consent_purpose,
        count(*) as emails_with_decision,
        count(case when consent_status = 'granted' then 1 end) as emails_granted,
        count(case when consent_status = 'withdrawn' then 1 end) as emails_withdrawn,
        max(case when consent_status = 'granted' then recorded_at end) as last_granted_at,
        max(case when consent_status = 'withdrawn' then recorded_at end) as last_withdrawn_at
    from consents_latest
    group by 1, 2
),

final as (
    select
        customers.customer_id || ':' || purposes.consent_purpose as customer_consent_id,
        customers.customer_id,
        purposes.consent_purpose,
        case
            when decisions.emails_withdrawn > 0 then 'withdrawn'
            when decisions.emails_granted > 0 then 'granted'
            else 'no_record'
        end as consent_status,
        coalesce(decisions.emails_with_decision, 0) as emails_with_decision,
        coalesce(decisions.emails_granted, 0) as emails_granted,
        coalesce(decisions.emails_withdrawn, 0) as emails_withdrawn,
        coalesce(decisions.emails_withdrawn, 0) = 0 and coalesce(decisions.emails_granted, 0) > 0
            as is_consented,
        coalesce(decisions.emails_withdrawn > 0 and decisions.emails_granted > 0, false) as has_conflict,
        case
            when decisions.emails_withdrawn > 0 then decisions.last_withdrawn_at
            else decisions.last_granted_at
        end as decided_at
    from customers
    cross join purposes
    left join decisions
        on
            customers.customer_id = decisions.customer_id
            and purposes.consent_purpose = decisions.consent_purpose
)

select * from final
