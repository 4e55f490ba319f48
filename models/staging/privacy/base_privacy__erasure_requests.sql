{{ config(post_hook="{{ fill_raw_values() }}") }}

-- Every raw erasure request, standardised and checked; stg_privacy__erasure_requests
-- keeps the clean rows. Requests are honoured whatever the as-of date, so no
-- future-timestamp rule applies here.
with

source as (
    select * from {{ source('privacy', 'erasure_requests') }}
),

audited as (
    select
        *,
        {{ raw_audit_columns('source') }},
        concat_ws('|', subject_email, requested_at) as raw_key
    from source
),

standardised as (
    select
        {{ normalize_email('subject_email') }} as email,
        {{ clean_text('subject_email') }} as email_original,
        {{ parse_timestamp('requested_at') }} as requested_at,
        raw_fingerprint,
        raw_key,
        has_oversized_value
    from audited
),

validated as (
    select
        *,
        md5(concat_ws('|', email, cast(requested_at as varchar))) as erasure_request_id,
        {{ email_match_key('email') }} as email_match_key,
        {{ reason_codes([
            ['bad_email', 'email is null'],
            ['bad_timestamp', 'requested_at is null'],
            ['oversized_value', 'has_oversized_value'],
        ]) }} as blocking_reasons
    from standardised
),

flagged as (
    {{ flag_duplicates('validated', ['email', 'requested_at'], 'email') }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count
select * from flagged  -- noqa: AM04
