{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='raw_fingerprint',
        on_schema_change='fail',
        post_hook="{{ fill_raw_values() }}",
    )
}}

{#- the de-duplication key from the raw row; full builds flag repeated keys first (flag_duplicates' repeated_flag) -#}
{% set key_expressions = [clean_text('event_id')] %}
{% set new_files_only = only_new_raw_files('received') %}
{#- the columns of the standardised step, in its order: with_loaded_versions selects them by name -#}
{% set standardised_columns = [
    'event_id', 'anonymous_id', 'user_id', 'event_type_original', 'event_type_mapped',
    'event_at_original', 'event_at', 'page_url', 'product_id', 'device_type_original',
    'referrer', 'raw_fingerprint', 'raw_file', 'raw_key', 'has_oversized_value',
] + ([] if is_incremental() else ['is_repeated_key']) %}
-- Every raw web/app event, standardised and checked; stg_web__events keeps the clean rows.
-- The steps before flag_duplicates are computed where read, not stored: storing every
-- wide event was most of this model's cost (see macros/quality/not_materialized.sql).
-- On an incremental run with_loaded (the new rows and the loaded versions of their
-- keys, a few) is stored, so the base table is searched once, not once per reader.
with

repeated_raw_keys as (
    {{ repeated_raw_keys(source('web', 'web_events'), 'received', key_expressions, new_files_only) }}
),

audited as {{ not_materialized() }} (
    select
        received.*,
        {{ raw_audit_columns('received') }},
        {{ raw_file_name('received') }} as raw_file,
        received.event_id as raw_key,
        coalesce(repeated_raw_keys.is_repeated, false) as is_repeated_key
    from {{ source('web', 'web_events') }} as received
    {{ join_repeated_raw_keys('repeated_raw_keys', key_expressions) }}
    {{ new_files_only }}
),

standardised as {{ not_materialized() }} (
    select
        {{ key_expressions[0] }} as event_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('event_type') }} as event_type_original,
        {{ map_to_vocabulary('event_type', 'vocab_web_event_types') }} as event_type_mapped,
        {{ clean_text('event_at') }} as event_at_original,
        {{ parse_timestamp('event_at') }} as event_at,
        {{ clean_text('page_url') }} as page_url,
        {{ clean_text('product_id') }} as product_id,
        lower({{ clean_text('device_type') }}) as device_type_original,
        {{ clean_text('referrer') }} as referrer,
        raw_fingerprint,
        raw_file,
        raw_key,
        has_oversized_value,
        is_repeated_key
    from audited
),

with_loaded as {{ not_materialized() if not is_incremental() }} (
    {{ with_loaded_versions('standardised', ['event_id'], standardised_columns) }}
),

validated as {{ not_materialized() }} (
    select
        *,
        coalesce(event_type_mapped, 'unknown') as event_type,
        case
            when device_type_original in ('desktop', 'mobile', 'tablet') then device_type_original
            else 'unknown'
        end as device_type,
        split_part(page_url, '?', 1) as page_path,
        nullif(regexp_extract(page_url, '[?&]utm_source=([^&#]*)', 1), '') as utm_source,
        nullif(regexp_extract(page_url, '[?&]utm_medium=([^&#]*)', 1), '') as utm_medium,
        nullif(regexp_extract(page_url, '[?&]utm_campaign=([^&#]*)', 1), '') as utm_campaign,
        nullif(regexp_extract(lower(referrer), '^[a-z]+://(www\.)?([^/:?#]+)', 2), '') as referrer_host,
        {{ reason_codes([
            ['missing_id', 'event_id is null or anonymous_id is null'],
            ['bad_timestamp', 'event_at is null'],
            ['future_timestamp', 'event_at >= ' ~ as_of_cutoff(ref('base_run__as_of_date'))],
            ['oversized_value', 'has_oversized_value'],
        ]) }} as blocking_reasons,
        {{ reason_codes([
            ['unknown_event_type', 'event_type_mapped is null'],
            ['unknown_device_type',
                "device_type_original is not null and device_type_original not in ('desktop', 'mobile', 'tablet')"],
        ]) }} as quality_flags
    from with_loaded
),

flagged as (
    {{ flag_duplicates(
        'validated', ['event_id'], 'event_at desc nulls last',
        repeated_flag='is_repeated_key',
    ) }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count;
-- loaded_at stamps every row this run writes (new and re-checked), for the tests
-- that read only those rows (get_where_subquery)
select
    *,  -- noqa: AM04
    {{ run_started_timestamp() }} as loaded_at
from flagged
