-- Why two CRM contacts are (or are not) one customer: every matched pair, every pair
-- the probabilistic matcher scored as a match but vetoed, and every steward override,
-- with the rule, the matcher's weights (prior + each comparison = match weight, as in
-- Splink's waterfall chart) and what clustering did with it.
-- Together with customer_identity_map.resolved_by (emails, loyalty ids and devices
-- joining through a contact) it answers "why are these two one customer?".
with

pairs as (
    select * from {{ ref('int_contact_pairs_scored') }}
    where
        is_match
        or (matcher_veto is not null and match_probability >= {{ var('identity_match_probability_min') }})
),

linked_pairs as (
    select * from {{ ref('int_contact_pairs_linked') }}
),

overrides as (
    select * from {{ ref('identity_overrides') }}
),

clusters as (
    select * from {{ ref('int_contacts_clustered') }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
    where identifier_type = 'contact_id'
),

evidence as (
    select
        contact_id_a,
        contact_id_b,
        coalesce(match_rule, 'probabilistic') as evidence_rule,
        matcher_veto,
        cast(null as varchar) as override_reason,
        name_similarity,
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
        null as matcher_veto,
        reason as override_reason,
        null as name_similarity,
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
            when evidence.matcher_veto is not null then 'vetoed'
            when cluster_a.is_merge_refused or cluster_b.is_merge_refused then 'refused_cluster_cap'
            else 'refused_never_merge'
        end as outcome,
        evidence.matcher_veto,
        linked_pairs.match_probability,
        linked_pairs.match_weight,
        linked_pairs.prior_weight,
        linked_pairs.names_level,
        linked_pairs.names_weight,
        linked_pairs.birth_date_level,
        linked_pairs.birth_date_weight,
        linked_pairs.postcode_level,
        linked_pairs.postcode_weight,
        linked_pairs.street_level,
        linked_pairs.street_weight,
        linked_pairs.city_level,
        linked_pairs.city_weight,
        linked_pairs.email_level,
        linked_pairs.email_weight,
        linked_pairs.phone_level,
        linked_pairs.phone_weight,
        evidence.name_similarity,
        evidence.is_same_email,
        evidence.is_same_phone,
        evidence.is_same_loyalty,
        evidence.is_same_birth_date,
        evidence.is_same_postcode
    from evidence
    left join linked_pairs
        on
            evidence.contact_id_a = linked_pairs.contact_id_a
            and evidence.contact_id_b = linked_pairs.contact_id_b
    left join identifiers as customer_a on evidence.contact_id_a = customer_a.identifier_value
    left join identifiers as customer_b on evidence.contact_id_b = customer_b.identifier_value
    left join clusters as cluster_a on evidence.contact_id_a = cluster_a.contact_id
    left join clusters as cluster_b on evidence.contact_id_b = cluster_b.contact_id
    where
        {{ is_not_erased('customer_a.customer_id', 'erased') }}
        and {{ is_not_erased('customer_b.customer_id', 'erased') }}
)

select * from final
