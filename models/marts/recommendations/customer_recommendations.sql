-- What to show each customer: the shipped method's top products with a reason in
-- words, for customers who have granted personalisation consent and are not being
-- erased (everyone else gets none).
with

ranked as (
    select * from {{ ref('int_customer_recommendations_ranked') }}
),

products as (
    select
        product_id,
        product_name,
        category
    from {{ ref('stg_shop__products') }}
),

consents as (
    select customer_id from {{ ref('customer_consents') }}
    where consent_purpose = 'personalisation' and is_consented
),

erased as (
    select customer_id from {{ ref('int_customers_erased') }}
),

final as (
    select
        ranked.customer_id || ':' || cast(ranked.recommendation_rank as varchar) as customer_recommendation_id,
        ranked.customer_id,
        cast(ranked.recommendation_rank as integer) as recommendation_rank,
        ranked.product_id,
        products.product_name,
        products.category,
        cast(ranked.score as double) as score,
        ranked.method,
        ranked.reason_type,
        ranked.reason_product_id,
        case ranked.reason_type
            when 'bought_together_with' then 'bought together with ' || reasons.product_name
            when 'similar_to' then 'similar to ' || reasons.product_name
            when 'popular_with' then 'popular with ' || replace(ranked.reason_segment, '_', ' ')
        end as reason,
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date
    from ranked
    inner join products on ranked.product_id = products.product_id
    left join products as reasons on ranked.reason_product_id = reasons.product_id
    where
        ranked.customer_id in (select consents.customer_id from consents)
        and ranked.customer_id not in (select erased.customer_id from erased)
)

select * from final
