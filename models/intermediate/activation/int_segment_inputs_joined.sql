-- Everything a segment definition may test, one row per customer: every customer
-- feature plus the customer's cluster, persona and persona family, purchase
-- propensity and churn probability (e.g. `purchase_propensity >= 0.6`).
with

customer_features as (
    select * from {{ ref('int_customer_features_assembled') }}
),

customer_clusters as (
    select * from {{ ref('int_customer_clusters_assigned') }}
),

cluster_profiles as (
    select * from {{ ref('int_cluster_profiles_described') }}
),

propensities as (
    select * from {{ ref('int_customer_propensities_scored') }}
),

joined as (
    select
        customer_features.*,
        customer_clusters.cluster_id,
        cluster_profiles.persona,
        cluster_profiles.persona_family,
        propensities.purchase_propensity,
        propensities.churn_probability
    from customer_features
    left join customer_clusters on customer_features.customer_id = customer_clusters.customer_id
    left join cluster_profiles on customer_clusters.cluster_id = cluster_profiles.cluster_id
    left join propensities on customer_features.customer_id = propensities.customer_id
)

-- every feature column passes through, so a new feature is usable in rules without edits here
select * from joined  -- noqa: AM04
