-- Candidate pairs of CRM contacts and the evidence for and against their being one
-- person. Pairs come from blocking keys (a shared email, phone or loyalty id, the
-- same postcode, the same birth date and country, or the same pair of names in the
-- same city), so comparisons stay near-linear. Each pair gets one rule or none:
--   exact_email / exact_loyalty: the same (unshared) identifier, names compatible;
--   phone_and_name: the same (unshared) phone, names compatible, birth dates not in conflict;
--   fuzzy: names compatible and at least `identity_min_evidence` of: same birth date,
--     same postcode, similar street line, same phone; birth dates not in conflict.
-- Names are compatible when first and last names are each at least
-- `identity_name_similarity_min` alike, straight or with first and last swapped.
-- Name likeness is the best Jaro-Winkler similarity of the names as typed and with
-- nicknames resolved, and 1 for a known nickname pair (nicknames seed).
with

contacts as (
    select * from {{ ref('int_contacts_prepared') }}
),

nicknames as (
    select * from {{ ref('nicknames') }}
),

blocking_keys as (
    select
        contact_id,
        'email' as block_type,
        match_email as block_key
    from contacts
    where match_email is not null
    union all
    select
        contact_id,
        'phone' as block_type,
        match_phone as block_key
    from contacts
    where match_phone is not null
    union all
    select
        contact_id,
        'loyalty' as block_type,
        match_loyalty as block_key
    from contacts
    where match_loyalty is not null
    union all
    select
        contact_id,
        'postcode' as block_type,
        country_code || ':' || postcode_key as block_key
    from contacts
    where postcode_key is not null
    union all
    select
        contact_id,
        'birth_date' as block_type,
        country_code || ':' || cast(date_of_birth as varchar) as block_key
    from contacts
    where date_of_birth is not null
    union all
    select
        contact_id,
        'name_city' as block_type,
        least(first_name_canonical, last_name_key) || ':' || greatest(first_name_canonical, last_name_key)
        || ':' || city_key as block_key
    from contacts
    where first_name_canonical is not null and last_name_key is not null and city_key is not null
),

candidate_pairs as (
    select
        left_keys.contact_id as contact_id_a,
        right_keys.contact_id as contact_id_b,
        string_agg(distinct left_keys.block_type, ',' order by left_keys.block_type) as blocked_on
    from blocking_keys as left_keys
    inner join blocking_keys as right_keys
        on
            left_keys.block_type = right_keys.block_type
            and left_keys.block_key = right_keys.block_key
            and left_keys.contact_id < right_keys.contact_id
    group by 1, 2
),

compared as (
    select
        candidate_pairs.contact_id_a,
        candidate_pairs.contact_id_b,
        candidate_pairs.blocked_on,
        contact_a.match_email = contact_b.match_email as is_same_email,
        contact_a.match_loyalty = contact_b.match_loyalty as is_same_loyalty,
        contact_a.match_phone = contact_b.match_phone as is_same_phone,
        contact_a.date_of_birth = contact_b.date_of_birth as is_same_birth_date,
        contact_a.date_of_birth <> contact_b.date_of_birth as has_birth_date_conflict,
        contact_a.postcode_key = contact_b.postcode_key as is_same_postcode,
        {{ string_similarity('contact_a.street_key', 'contact_b.street_key') }} as street_similarity,
        greatest(
            {{ name_similarity('contact_a.first_name_key', 'contact_a.first_name_canonical',
                               'contact_b.first_name_key', 'contact_b.first_name_canonical') }},
            case when nickname_pairs.name_key is not null then 1.0 end
        ) as first_name_similarity,
        {{ string_similarity('contact_a.last_name_key', 'contact_b.last_name_key') }} as last_name_similarity,
        least(
            {{ name_similarity('contact_a.first_name_key', 'contact_a.first_name_canonical',
                               'contact_b.last_name_key', 'contact_b.last_name_canonical') }},
            {{ name_similarity('contact_a.last_name_key', 'contact_a.last_name_canonical',
                               'contact_b.first_name_key', 'contact_b.first_name_canonical') }}
        ) as swapped_name_similarity
    from candidate_pairs
    inner join contacts as contact_a on candidate_pairs.contact_id_a = contact_a.contact_id
    inner join contacts as contact_b on candidate_pairs.contact_id_b = contact_b.contact_id
    left join nicknames as nickname_pairs
        on
            (
                contact_a.first_name_key = nickname_pairs.name_key
                and contact_b.first_name_key = nickname_pairs.nickname_key
            )
            or (
                contact_b.first_name_key = nickname_pairs.name_key
                and contact_a.first_name_key = nickname_pairs.nickname_key
            )
),

judged as (
    select
        *,
        greatest(
            least(coalesce(first_name_similarity, 1), coalesce(last_name_similarity, 1)),
            coalesce(swapped_name_similarity, 0)
        ) as name_similarity,
        cast(coalesce(is_same_birth_date, false) as int)
        + cast(coalesce(is_same_postcode, false) as int)
        + coalesce(street_similarity >= {{ var('identity_street_similarity_min') }}, false)::int
        + cast(coalesce(is_same_phone, false) as int) as evidence_points
    from compared
),

decided as (
    select
        *,
        name_similarity >= {{ var('identity_name_similarity_min') }} as are_names_compatible,
        case
            when name_similarity < {{ var('identity_name_similarity_min') }} then null
            when is_same_email then 'exact_email'
            when is_same_loyalty then 'exact_loyalty'
            when coalesce(has_birth_date_conflict, false) then null
            when is_same_phone then 'phone_and_name'
            when evidence_points >= {{ var('identity_min_evidence') }} then 'fuzzy'
        end as match_rule
    from judged
),

final as (
    select
        contact_id_a || '|' || contact_id_b as contact_pair_id,
        contact_id_a,
        contact_id_b,
        blocked_on,
        match_rule,
        evidence_points,
        name_similarity,
        first_name_similarity,
        last_name_similarity,
        swapped_name_similarity,
        street_similarity,
        coalesce(is_same_email, false) as is_same_email,
        coalesce(is_same_loyalty, false) as is_same_loyalty,
        coalesce(is_same_phone, false) as is_same_phone,
        coalesce(is_same_birth_date, false) as is_same_birth_date,
        coalesce(has_birth_date_conflict, false) as has_birth_date_conflict,
        coalesce(is_same_postcode, false) as is_same_postcode,
        coalesce(are_names_compatible, false) as are_names_compatible,
        match_rule is not null as is_match
    from decided
)

select * from final
