-- Every source identifier that can belong to a customer, with the customer it
-- resolves to. Contacts take their cluster's customer; an email or loyalty id takes
-- the customer of the contacts holding it when they are all one cluster, and
-- otherwise (no contact holds it, or it is shared or a placeholder) stands for a
-- customer of its own; an anonymous id takes the customer of the contacts it
-- logged in as when they are all one cluster (a shared device stays anonymous).
-- The customer id is a hash of the customer's earliest-seen identifier, so it does
-- not change when later records join the customer.
with

contacts as (
    select * from {{ ref('int_contacts_prepared') }}
),

clusters as (
    select * from {{ ref('int_contacts_clustered') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

email_events as (
    select * from {{ ref('stg_email__events') }}
),

consent_records as (
    select * from {{ ref('stg_privacy__consent_records') }}
),

erasure_requests as (
    select * from {{ ref('stg_privacy__erasure_requests') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

web_events as (
    select * from {{ ref('stg_web__events') }}
),

contact_clusters as (
    select
        contacts.contact_id,
        contacts.email_match_key,
        contacts.loyalty_id,
        contacts.has_shared_email,
        contacts.has_shared_loyalty,
        clusters.cluster_key,
        coalesce(contacts.first_seen_at, cast('9999-12-31' as timestamp)) as first_seen_at
    from contacts
    inner join clusters on contacts.contact_id = clusters.contact_id
),

email_sightings as (
    select
        email_match_key,
        first_seen_at
    from contact_clusters
    where email_match_key is not null
    union all
    select
        customer_email_match_key,
        ordered_at
    from orders
    where customer_email_match_key is not null
    union all
    select
        email_match_key,
        event_at
    from email_events
    union all
    select
        email_match_key,
        recorded_at
    from consent_records
    union all
    select
        email_match_key,
        requested_at
    from erasure_requests
),

email_holders as (
    select
        email_match_key,
        count(distinct cluster_key) as clusters_holding,
        min(cluster_key) as cluster_key,
        bool_or(has_shared_email) as is_shared
    from contact_clusters
    where email_match_key is not null
    group by 1
),

emails as (
    select
        'email' as identifier_type,
        email_sightings.email_match_key as identifier_value,
        min(email_sightings.first_seen_at) as first_seen_at,
        case
            when not coalesce(email_holders.is_shared, false) and email_holders.clusters_holding = 1
                then email_holders.cluster_key
        end as cluster_key,
        coalesce(email_holders.is_shared, false) or coalesce(email_holders.clusters_holding, 0) > 1
            as is_shared_identifier
    from email_sightings
    left join email_holders on email_sightings.email_match_key = email_holders.email_match_key
    group by 2, 4, 5
),

loyalty_sightings as (
    select
        loyalty_id,
        first_seen_at
    from contact_clusters
    where loyalty_id is not null
    union all
    select
        loyalty_id,
        transacted_at
    from pos_transactions
    where loyalty_id is not null
),

loyalty_holders as (
    select
        loyalty_id,
        count(distinct cluster_key) as clusters_holding,
        min(cluster_key) as cluster_key,
        bool_or(has_shared_loyalty) as is_shared
    from contact_clusters
    where loyalty_id is not null
    group by 1
),

loyalty_ids as (
    select
        'loyalty_id' as identifier_type,
        loyalty_sightings.loyalty_id as identifier_value,
        min(loyalty_sightings.first_seen_at) as first_seen_at,
        case
            when not coalesce(loyalty_holders.is_shared, false) and loyalty_holders.clusters_holding = 1
                then loyalty_holders.cluster_key
        end as cluster_key,
        coalesce(loyalty_holders.is_shared, false) or coalesce(loyalty_holders.clusters_holding, 0) > 1
            as is_shared_identifier
    from loyalty_sightings
    left join loyalty_holders on loyalty_sightings.loyalty_id = loyalty_holders.loyalty_id
    group by 2, 4, 5
),

logins as (
    select
        web_events.anonymous_id,
        min(web_events.event_at) as first_seen_at,
        count(distinct contact_clusters.cluster_key) as clusters_logged_in,
        min(contact_clusters.cluster_key) as cluster_key
    from web_events
    inner join contact_clusters on web_events.user_id = contact_clusters.contact_id
    group by 1
),

anonymous_ids as (
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        first_seen_at,
        cluster_key,
        false as is_shared_identifier
    from logins
    where clusters_logged_in = 1
),

identifiers as (
    select
        'contact_id' as identifier_type,
        contact_id as identifier_value,
        first_seen_at,
        cluster_key,
        false as is_shared_identifier
    from contact_clusters
    union all
    select * from emails
    union all
    select * from loyalty_ids
    union all
    select * from anonymous_ids
),

grouped as (
    select
        *,
        coalesce('cluster:' || cluster_key, identifier_type || ':' || identifier_value) as resolution_key,
        case
            when identifier_type = 'contact_id' then 'crm_cluster'
            when identifier_type = 'anonymous_id' then 'login'
            when cluster_key is not null then 'held_by_contact'
            when is_shared_identifier then 'shared_identifier'
            else 'standalone'
        end as resolved_by
    from identifiers
),

anchored as (
    select
        *,
        row_number() over (
            partition by resolution_key
            order by
                identifier_type = 'anonymous_id',
                first_seen_at,
                case identifier_type when 'contact_id' then 1 when 'email' then 2 else 3 end,
                identifier_value
        ) = 1 as is_anchor
    from grouped
),

final as (
    select
        anchored.identifier_type || ':' || anchored.identifier_value as identifier_key,
        anchored.identifier_type,
        anchored.identifier_value,
        'cus_' || left(md5(anchors.identifier_type || ':' || anchors.identifier_value), 16) as customer_id,
        anchored.resolution_key,
        anchored.resolved_by,
        anchored.is_anchor,
        anchored.is_shared_identifier,
        case when anchored.first_seen_at < cast('9999-12-31' as timestamp) then anchored.first_seen_at end
            as first_seen_at
    from anchored
    inner join anchored as anchors
        on anchored.resolution_key = anchors.resolution_key and anchors.is_anchor
)

select * from final
