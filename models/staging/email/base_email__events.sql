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
    'email_event_id', 'email_original', 'email', 'campaign_id', 'event_type_original',
    'event_type_mapped', 'event_at', 'raw_fingerprint', 'raw_file', 'raw_key', 'has_oversized_value',
] %}
-- Every raw email engagement event, standardised and checked; stg_email__events keeps the clean rows.
-- Incremental like the web events (macros/quality/incremental_raw_files.sql): a run
-- reads the files not loaded yet and re-checks the loaded rows they can change.
with

audited as (
    select
        received.*,
        {{ raw_audit_columns('received') }},
        {{ raw_file_name('received') }} as raw_file,
        received.event_id as raw_key
    from {{ source('email', 'email_events') }} as received
    {{ only_new_raw_files('received') }}
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
        raw_file,
        raw_key,
        has_oversized_value
    from audited
),

with_loaded as (
    {{ with_loaded_versions('standardised', ['email_event_id'], standardised_columns) }}
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
    from with_loaded
),

flagged as (
    {{ flag_duplicates('validated', ['email_event_id'], 'event_at desc nulls last') }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count;
-- loaded_at stamps every row this run writes (new and re-checked), for the tests
-- that read only those rows (get_where_subquery)
select
    *,  -- noqa: AM04
    {{ run_started_timestamp() }} as loaded_at
from flagged
