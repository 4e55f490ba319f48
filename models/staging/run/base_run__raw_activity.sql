{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='raw_file',
        on_schema_change='fail',
    )
}}
-- Per raw file of web events and orders (the activity that sets the as-of date) and
-- of till sales, email events and CRM contacts (the fallback when there is none):
-- its latest timestamp up to the machine's clock and its earliest one after it, for
-- base_run__as_of_date. Incremental: a run reads the new files, and again the files
-- holding a timestamp the clock has since passed (it may now count); every other
-- file's figures cannot have changed.
{#- activity stream: source, table, time expression, whether it is a fallback -#}
{% set streams = [
    ('web', 'web_events', 'received.event_at', false),
    ('shop', 'orders', 'received.order_at', false),
    ('pos', 'pos_transactions', 'received.transaction_at', true),
    ('email', 'email_events', 'received.event_at', true),
    ('crm', 'crm_contacts', 'coalesce(received.updated_at, received.created_at)', true),
] %}
with

activity as (
    {% for source_name, table_name, occurred_at, is_fallback in streams %}
        select
            {{ raw_file_name('received') }} as raw_file,
            {{ 'true' if is_fallback else 'false' }} as is_fallback,
            {{ parse_timestamp(occurred_at) }} as occurred_at
        from {{ source(source_name, table_name) }} as received
        {{ only_new_raw_files('received', 'earliest_future_at <= current_timestamp') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

by_file as (
    select
        raw_file,
        bool_and(is_fallback) as is_fallback_source,
        max(case when occurred_at <= current_timestamp then occurred_at end) as latest_activity_at,
        min(case when occurred_at > current_timestamp then occurred_at end) as earliest_future_at
    from activity
    group by 1
)

select * from by_file
