-- Pairs of CRM contacts that may be one person, the evidence, and the rule that
-- matches them (if any). Pairs come from two places:
--   the probabilistic matcher (int_contact_pairs_linked, Splink): every pair it scored
--     at or above identity_review_probability_min;
--   a shared usable email or loyalty id (shared and placeholder ones are withheld by
--     int_contacts_prepared), compared here exactly.
-- Rules, strongest first:
--   exact_email / exact_loyalty: the same email or loyalty id and compatible names;
--   probabilistic: the matcher's probability reaches identity_match_probability_min and
--     no veto applies (personal fields that contradict each other twice: relatives
--     sharing an address; see c360.linkage.decide).
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

linked_pairs as (
    select * from {{ ref('int_contact_pairs_linked') }}
),

identifier_keys as (
    select
        contact_id,
        'email:' || match_email as identifier_key
    from contacts
    where match_email is not null
    union all
    select
        contact_id,
        'loyalty:' || match_loyalty as identifier_key
    from contacts
    where match_loyalty is not null
),

identifier_pairs as (
    select distinct
        left_keys.contact_id as contact_id_a,
        right_keys.contact_id as contact_id_b
    from identifier_keys as left_keys
    inner join identifier_keys as right_keys
        on
            left_keys.identifier_key = right_keys.identifier_key
            and left_keys.contact_id < right_keys.contact_id
),

candidate_pairs as (
    select
        coalesce(linked_pairs.contact_id_a, identifier_pairs.contact_id_a) as contact_id_a,
        coalesce(linked_pairs.contact_id_b, identifier_pairs.contact_id_b) as contact_id_b,
        linked_pairs.match_weight,
        linked_pairs.match_probability,
        linked_pairs.veto as matcher_veto,
        coalesce(linked_pairs.is_probable_match, false) as is_probable_match
    from linked_pairs
    full outer join identifier_pairs
        on
            linked_pairs.contact_id_a = identifier_pairs.contact_id_a
            and linked_pairs.contact_id_b = identifier_pairs.contact_id_b
),

compared as (
    select
        candidate_pairs.*,
        contact_a.match_email = contact_b.match_email as is_same_email,
        contact_a.match_loyalty = contact_b.match_loyalty as is_same_loyalty,
        contact_a.match_phone = contact_b.match_phone as is_same_phone,
        contact_a.date_of_birth = contact_b.date_of_birth as is_same_birth_date,
        contact_a.date_of_birth <> contact_b.date_of_birth as has_birth_date_conflict,
        contact_a.postcode_key = contact_b.postcode_key as is_same_postcode,
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
        ) as name_similarity
    from compared
),

decided as (
    select
        *,
        name_similarity >= {{ var('identity_name_similarity_min') }} as are_names_compatible,
        case
            when name_similarity >= {{ var('identity_name_similarity_min') }} and is_same_email then 'exact_email'
            when name_similarity >= {{ var('identity_name_similarity_min') }} and is_same_loyalty
                then 'exact_loyalty'
            when is_probable_match then 'probabilistic'
        end as match_rule
    from judged
),

final as (
    select
        contact_id_a || '|' || contact_id_b as contact_pair_id,
        contact_id_a,
        contact_id_b,
        match_rule,
        match_weight,
        match_probability,
        matcher_veto,
        name_similarity,
        first_name_similarity,
        last_name_similarity,
        swapped_name_similarity,
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
