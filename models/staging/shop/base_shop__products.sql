{{ config(post_hook="{{ fill_raw_values() }}") }}

-- Every raw catalogue row, standardised and checked; stg_shop__products keeps the clean rows.
with

source as (
    select * from {{ source('shop', 'products') }}
),

audited as (
    select
        *,
        {{ raw_audit_columns('source') }},
        product_id as raw_key
    from source
),

standardised as (
    select
        {{ clean_text('product_id') }} as product_id,
        {{ clean_text('name') }} as product_name,
        {{ clean_text('category') }} as category_original,
        {{ map_to_vocabulary('category', 'vocab_product_categories') }} as category_mapped,
        {{ clean_text('brand') }} as brand,
        {{ clean_text('price') }} as list_price_original,
        {{ parse_amount('price') }} as list_price_parsed,
        {{ clean_text('description') }} as product_description,
        raw_fingerprint,
        raw_key,
        has_oversized_value
    from audited
),

validated as (
    select
        *,
        coalesce(category_mapped, 'unknown') as category,
        case when list_price_parsed >= 0 then list_price_parsed end as list_price,
        {{ reason_codes([
            ['missing_id', 'product_id is null'],
            ['oversized_value', 'has_oversized_value'],
        ]) }} as blocking_reasons,
        {{ reason_codes([
            ['unknown_category', 'category_mapped is null'],
            ['bad_amount', 'list_price_original is not null and list_price_parsed is null'],
            ['negative_amount', 'list_price_parsed < 0'],
        ]) }} as quality_flags
    from standardised
),

flagged as (
    {{ flag_duplicates('validated', ['product_id'], 'product_name') }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count
select * from flagged  -- noqa: AM04
