{{ config(post_hook="{{ fill_raw_values() }}") }}

-- Every raw consent decision, standardised and checked; stg_privacy__consent_records
-- keeps the clean rows. A record has no id of its own: its key is (email, purpose,
-- recorded_at). When two decisions share that key but disagree, the withdrawal wins.
with

source as (
    select * from {{ source('privacy', 'consent_records') }}
),

audited as (
    select
        *,
        {{ raw_audit_columns('source') }},
        concat_ws('|', subject_email, purpose, recorded_at) as raw_key
    from source
),

standardised as (
    select
        {{ normalize_email('subject_email') }} as email,
        {{ clean_text('subject_email') }} as email_original,
        {{ map_to_vocabulary('purpose', 'vocab_consent_purposes') }} as consent_purpose,
        {{ map_to_vocabulary('status', 'vocab_consent_statuses') }} as consent_status,
        {{ parse_timestamp('recorded_at') }} as recorded_at,
        raw_fingerprint,
        raw_key,
        has_oversized_value
    from audited
),

validated as (
    select
        *,
        md5(concat_ws('|', email, consent_purpose, cast(recorded_at as varchar))) as consent_record_id,
        {{ email_match_key('email') }} as email_match_key,
        {{ reason_codes([
            ['bad_email', 'email is null'],
            ['unknown_purpose', 'consent_purpose is null'],
            ['unknown_status', 'consent_status is null'],
            ['bad_timestamp', 'recorded_at is null'],
            ['future_timestamp', 'recorded_at >= ' ~ as_of_cutoff(ref('base_run__as_of_date'))],
            ['oversized_value', 'has_oversized_value'],
        ]) }} as blocking_reasons
    from standardised
),

flagged as (
    {{ flag_duplicates(
        'validated',
        ['email', 'consent_purpose', 'recorded_at'],
        "case when consent_status = 'withdrawn' then 0 else 1 end"
    ) }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count
select * from flagged  -- noqa: AM04
