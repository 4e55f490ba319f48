{{ config(post_hook="{{ fill_raw_values() }}") }}

-- Every row of the user's optional exchange-rate file, standardised and checked;
-- stg_fx__rates keeps the clean rows. No file: no rows (the bundled seed is used).
{% set raw = source('fx', 'fx_rates') %}
with

{% if raw_files_present('fx', 'fx_rates') %}
    source as (
        select * from {{ raw }}
    ),
{% else %}
    source as (
        select
            cast(null as varchar) as currency_code,
            cast(null as varchar) as rate_month,
            cast(null as varchar) as units_per_base
        where false
    ),
{% endif %}

audited as (
    select
        *,
        {{ raw_audit_columns('source') }},
        concat_ws('|', currency_code, rate_month) as raw_key
    from source
),

standardised as (
    select
        upper({{ clean_text('currency_code') }}) as currency_code,
        {{ clean_text('rate_month') }} as rate_month_original,
        cast({{ dbt.date_trunc('month', parse_date('rate_month', 'current_date')) }} as date) as rate_month,
        try_cast({{ clean_text('units_per_base') }} as double) as units_per_base,
        {{ clean_text('units_per_base') }} as units_per_base_original,
        raw_fingerprint,
        raw_key,
        has_oversized_value
    from audited
),

validated as (
    select
        *,
        {{ reason_codes([
            ['missing_id', 'currency_code is null or rate_month_original is null'],
            ['unknown_currency', 'not coalesce(' ~ in_seed('currency_code', 'currencies', 'currency_code') ~ ', false)'],
            ['bad_timestamp', 'rate_month_original is not null and rate_month is null'],
            ['bad_amount', 'units_per_base is null or not units_per_base > 0'],
            ['oversized_value', 'has_oversized_value'],
        ]) }} as blocking_reasons
    from standardised
),

flagged as (
    {{ flag_duplicates('validated', ['currency_code', 'rate_month'], 'units_per_base') }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count
select * from flagged  -- noqa: AM04
