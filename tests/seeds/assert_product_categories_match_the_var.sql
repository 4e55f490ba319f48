-- The product_categories var (one spend_share_<category> feature each) lists exactly
-- the categories the vocab_product_categories seed maps raw spellings to.
with

seed_categories as (
    select distinct canonical_value as category
    from {{ ref('vocab_product_categories') }}
),

var_categories as (
    {%- for category in var('product_categories') %}
        select '{{ category }}' as category
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

mismatched as (
    select
        coalesce(seed_categories.category, var_categories.category) as category,
        seed_categories.category is null as is_missing_from_seed
    from seed_categories
    full outer join var_categories on seed_categories.category = var_categories.category
    where seed_categories.category is null or var_categories.category is null
)

select * from mismatched
