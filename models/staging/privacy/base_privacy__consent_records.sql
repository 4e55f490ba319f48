{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='raw_fingerprint',
        on_schema_change='fail',
        post_hook="{{ fill_raw_values() }}",
    )
}}

{#- the columns of the standardised step, in its order: with_loaded_versions selects them by name -#}
{% set standardised_columns = [
    'email', 'email_original', 'consent_purpose', 'consent_status', 'recorded_at',
    'raw_fingerprint', 'raw_file', 'raw_key', 'has_oversized_value',
] %}
-- Every raw consent decision, standardised and checked; stg_privacy__consent_records
-- keeps the clean rows. A record has no id of its own: its key is (email, purpose,
-- recorded_at). When two decisions share that key but disagree, the withdrawal wins.
-- The preference centre's log only grows, so this model is incremental like the web
-- events (macros/quality/incremental_raw_files.sql): a run reads the files not loaded
-- yet and re-checks the loaded rows they can change (same key, re-sent copies, and
-- decisions quarantined as future_timestamp the as-of date may have passed).
with

audited as (
    select
        received.*,
        {{ raw_audit_columns('received') }},
        {{ raw_file_name('received') }} as raw_file,
        concat_ws('|', received.subject_email, received.purpose, received.recorded_at) as raw_key
    from {{ source('privacy', 'consent_records') }} as received
    {{ only_new_raw_files('received') }}
),

standardised as (
    select
        {{ normalize_email('subject_email') }} as email,
        {{ clean_text('subject_email') }} as email_original,
        {{ map_to_vocabulary('purpose', 'vocab_consent_purposes') }} as consent_purpose,
        {{ map_to_vocabulary('status', 'vocab_consent_statuses') }} as consent_status,
        {{ parse_timestamp('recorded_at') }} as recorded_at,
        raw_fingerprint,
        raw_file,
        raw_key,
        has_oversized_value
    from audited
),

with_loaded as (
    {{ with_loaded_versions('standardised', ['email', 'consent_purpose', 'recorded_at'], standardised_columns) }}
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
    from with_loaded
),

flagged as (
    {{ flag_duplicates(
        'validated',
        ['email', 'consent_purpose', 'recorded_at'],
        "case when consent_status = 'withdrawn' then 0 else 1 end"
    ) }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count;
-- loaded_at stamps every row this run writes (new and re-checked), for the tests
-- that read only those rows (get_where_subquery)
select
    *,  -- noqa: AM04
    {{ run_started_timestamp() }} as loaded_at
from flagged
