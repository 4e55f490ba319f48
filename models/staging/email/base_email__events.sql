{{ config(post_hook="{{ fill_raw_values() }}") }}

-- Every raw email engagement event, standardised and checked; stg_email__events keeps the clean rows.
with

source as (
    select * from {{ source('email', 'email_events') }}
),

audited as (
    select
        *,
        {{ raw_audit_columns('source') }},
        event_id as raw_key
    from source
),

standardised as (
    select
        {{ clean_text('event_id') }} as email_event_id,
        {{ clean_text('email') }} as email_original,
        {{ normalize_email('email') }} as email,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('event_type') }} as event_type_original,
        {{ map_to_vocabulary('event_type', 'vocab_email_event_types') }} as event_type_mapped,
        {{ parse_timestamp('event_at') }} as event_at,
        raw_fingerprint,
        raw_key,
        has_oversized_value
    from audited
),

validated as (
    select
        *,
        {{ email_match_key('email') }} as email_match_key,
        coalesce(event_type_mapped, 'unknown') as event_type,
        {{ reason_codes([
            ['missing_id', 'email_event_id is null'],
            ['bad_email', 'email is null'],
            ['bad_timestamp', 'event_at is null'],
            ['future_timestamp', 'event_at >= ' ~ as_of_cutoff(ref('base_run__as_of_date'))],
            ['oversized_value', 'has_oversized_value'],
        ]) }} as blocking_reasons,
        {{ reason_codes([
            ['unknown_event_type', 'event_type_mapped is null'],
        ]) }} as quality_flags
    from standardised
),

flagged as (
    {{ flag_duplicates('validated', ['email_event_id'], 'event_at desc nulls last') }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count
select * from flagged  -- noqa: AM04
