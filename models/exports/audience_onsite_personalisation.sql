{{
    config(
        materialized='external',
        format='parquet',
        options={'partition_by': 'segment_id', 'overwrite': true},
    )
}}
-- depends_on: {{ ref('audience_folders_cleared') }}
-- Audience file for on-site personalisation: one Parquet file per segment routed to
-- it, customers with personalisation consent only, by customer id (the site knows
-- the logged-in customer's id) with whether it is their primary segment.
with

routes as (
    select * from {{ ref('audience_exports') }}
    where destination = 'onsite_personalisation'
),

customer_segments as (
    select * from {{ ref('customer_segments') }}
),

consents as (
    select * from {{ ref('customer_consents') }}
    where consent_purpose = 'personalisation' and is_consented
),

final as (
    select
        customer_segments.customer_id,
        customer_segments.is_primary_segment,
        customer_segments.segment_id
    from customer_segments
    inner join routes on customer_segments.segment_id = routes.segment_id
    inner join consents on customer_segments.customer_id = consents.customer_id
)

select * from final
