{{ config(post_hook="{{ fill_raw_values() }}") }}

-- Every raw till transaction, standardised and checked; stg_pos__transactions keeps the clean rows.
-- A negative amount at the till is a return, not an error.
with

source as (
    select * from {{ source('pos', 'pos_transactions') }}
),

audited as (
    select
        *,
        {{ raw_audit_columns('source') }},
        transaction_id as raw_key
    from source
),

standardised as (
    select
        {{ clean_text('transaction_id') }} as transaction_id,
        upper({{ clean_text('loyalty_id') }}) as loyalty_id,
        upper({{ clean_text('store_id') }}) as store_id,
        {{ parse_timestamp('transaction_at') }} as transacted_at,
        {{ parse_amount('amount') }} as amount,
        upper({{ clean_text('currency') }}) as currency_code,
        raw_fingerprint,
        raw_key,
        has_oversized_value
    from audited
),

validated as (
    select
        *,
        amount < 0 as is_return,
        {{ reason_codes([
            ['missing_id', 'transaction_id is null'],
            ['bad_timestamp', 'transacted_at is null'],
            ['future_timestamp', 'transacted_at >= ' ~ as_of_cutoff(ref('base_run__as_of_date'))],
            ['bad_amount', 'amount is null'],
            ['amount_outlier_hard_limit', 'abs(amount) > ' ~ var('amount_hard_limit')],
            ['unknown_currency', 'not coalesce(' ~ in_seed('currency_code', 'currencies', 'currency_code') ~ ', false)'],
            ['oversized_value', 'has_oversized_value'],
        ]) }} as blocking_reasons
    from standardised
),

flagged as (
    {{ flag_duplicates('validated', ['transaction_id'], 'transacted_at desc nulls last') }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count
select * from flagged  -- noqa: AM04
