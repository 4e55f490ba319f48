-- Why two CRM contacts are (or are not) one customer: every matched pair and every
-- steward override, with the rule, the evidence and what clustering did with it.
-- Together with customer_identity_map.resolved_by (emails, loyalty ids and devices
-- joining through a contact) it answers "why are these two one customer?".
with

pairs as (
    select * from {{ ref('int_contact_pairs_scored') }}
    where is_match
),

overrides as (
    select * from {{ ref('identity_overrides') }}
),

clusters as (
    select * from {{ ref('int_contacts_clustered') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
    where identifier_type = 'contact_id'
),

evidence as (
    select
        contact_id_a,
        contact_id_b,
        match_rule as evidence_rule,
        cast(null as varchar) as override_reason,
        name_similarity,
        evidence_points,
        is_same_email,
        is_same_phone,
        is_same_loyalty,
        is_same_birth_date,
        is_same_postcode
    from pairs
    union all
    select
        least(contact_id_a, contact_id_b) as contact_id_a,
        greatest(contact_id_a, contact_id_b) as contact_id_b,
        'override_' || decision as evidence_rule,
        reason as override_reason,
        null as name_similarity,
        null as evidence_points,
        null as is_same_email,
        null as is_same_phone,
        null as is_same_loyalty,
        null as is_same_birth_date,
        null as is_same_postcode
    from overrides
),

final as (
    select
        evidence.contact_id_a || '|' || evidence.contact_id_b || '|' || evidence.evidence_rule as evidence_id,
        evidence.contact_id_a,
        evidence.contact_id_b,
        customer_a.customer_id as customer_id_a,
        customer_b.customer_id as customer_id_b,
        evidence.evidence_rule,
        evidence.override_reason,
        case
            when customer_a.customer_id is null or customer_b.customer_id is null then 'contact_not_in_data'
            when evidence.evidence_rule = 'override_never_merge' and customer_a.customer_id <> customer_b.customer_id
                then 'kept_apart'
            when evidence.evidence_rule = 'override_never_merge' then 'override_violated'
            when customer_a.customer_id = customer_b.customer_id then 'merged'
            when cluster_a.is_merge_refused or cluster_b.is_merge_refused then 'refused_cluster_cap'
            else 'refused_never_merge'
        end as outcome,
        evidence.name_similarity,
        evidence.evidence_points,
        evidence.is_same_email,
        evidence.is_same_phone,
        evidence.is_same_loyalty,
        evidence.is_same_birth_date,
        evidence.is_same_postcode
    from evidence
    left join identifiers as customer_a on evidence.contact_id_a = customer_a.identifier_value
    left join identifiers as customer_b on evidence.contact_id_b = customer_b.identifier_value
    left join clusters as cluster_a on evidence.contact_id_a = cluster_a.contact_id
    left join clusters as cluster_b on evidence.contact_id_b = cluster_b.contact_id
    where
        {{ is_not_erased('customer_a.customer_id') }}
        and {{ is_not_erased('customer_b.customer_id') }}
)

select * from final
