{% snapshot customer_segments_snapshot %}
{{
    config(
        unique_key='customer_segment_id',
        strategy='check',
        check_cols=['segment_id'],
        hard_deletes='invalidate',
        snapshot_meta_column_names={'dbt_valid_from': 'valid_from', 'dbt_valid_to': 'valid_to'},
        post_hook=["{{ erase_customers(ref('int_customers_erased')) }}"],
    )
}}
-- depends_on: {{ ref('int_customers_erased') }}
-- Segment membership history: one row per spell of a customer in a segment, opened
-- (valid_from) by the build that first found the customer in the segment and closed
-- (valid_to) by the build that no longer did. Customers being erased are deleted.
    select
        customer_segment_id,
        customer_id,
        segment_id
    from {{ ref('customer_segments') }}
{% endsnapshot %}
