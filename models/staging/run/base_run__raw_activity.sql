{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='raw_file',
        on_schema_change='fail',
    )
}}
-- Per raw file of web events and orders: its latest timestamp up to the machine's
-- clock and its earliest one after it, for base_run__as_of_date. Incremental: a run
-- reads the new files, and again the files holding a timestamp the clock has since
-- passed (it may now count); every other file's figures cannot have changed.
with

web_events as (
    select
        {{ raw_file_name('received') }} as raw_file,
        {{ parse_timestamp('received.event_at') }} as occurred_at
    from {{ source('web', 'web_events') }} as received
    {{ only_new_raw_files('received', 'earliest_future_at <= current_timestamp') }}
),

orders as (
    select
        {{ raw_file_name('received') }} as raw_file,
        {{ parse_timestamp('received.order_at') }} as occurred_at
    from {{ source('shop', 'orders') }} as received
    {{ only_new_raw_files('received', 'earliest_future_at <= current_timestamp') }}
),

activity as (
    select * from web_events
    union all
    select * from orders
),

by_file as (
    select
        raw_file,
        max(case when occurred_at <= current_timestamp then occurred_at end) as latest_activity_at,
        min(case when occurred_at > current_timestamp then occurred_at end) as earliest_future_at
    from activity
    group by 1
)

select * from by_file
