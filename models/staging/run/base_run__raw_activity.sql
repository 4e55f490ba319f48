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
with

web_events as (
    select
        {{ raw_file_name('received') }} as raw_file,
        false as is_fallback,
        {{ parse_timestamp('received.event_at') }} as occurred_at
    from {{ source('web', 'web_events') }} as received
    {{ only_new_raw_files('received', 'earliest_future_at <= current_timestamp') }}
),

orders as (
    select
        {{ raw_file_name('received') }} as raw_file,
        false as is_fallback,
        {{ parse_timestamp('received.order_at') }} as occurred_at
    from {{ source('shop', 'orders') }} as received
    {{ only_new_raw_files('received', 'earliest_future_at <= current_timestamp') }}
),

till_sales as (
    select
        {{ raw_file_name('received') }} as raw_file,
        true as is_fallback,
        {{ parse_timestamp('received.transaction_at') }} as occurred_at
    from {{ source('pos', 'pos_transactions') }} as received
    {{ only_new_raw_files('received', 'earliest_future_at <= current_timestamp') }}
),

email_events as (
    select
        {{ raw_file_name('received') }} as raw_file,
        true as is_fallback,
        {{ parse_timestamp('received.event_at') }} as occurred_at
    from {{ source('email', 'email_events') }} as received
    {{ only_new_raw_files('received', 'earliest_future_at <= current_timestamp') }}
),

contacts as (
    select
        {{ raw_file_name('received') }} as raw_file,
        true as is_fallback,
        {{ parse_timestamp('coalesce(received.updated_at, received.created_at)') }} as occurred_at
    from {{ source('crm', 'crm_contacts') }} as received
    {{ only_new_raw_files('received', 'earliest_future_at <= current_timestamp') }}
),

activity as (
    select * from web_events
    union all
    select * from orders
    union all
    select * from till_sales
    union all
    select * from email_events
    union all
    select * from contacts
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
