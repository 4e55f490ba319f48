{{
    config(
        materialized='incremental',
        unique_key='visitor_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=["{{ remove_vanished_sessions(ref('int_web_sessions_aggregated'), by='visitor_key') }}"],
    )
}}
-- Published, contract-enforced copy of int_web_sessions_aggregated: one row per web or
-- app session (rules there). Incremental like it: a run copies the sessions of the
-- visitors it rebuilt since the last copy (their sessionised_at is newer), replacing
-- those visitors' rows (delete+insert by visitor_key); the post-hook deletes the
-- sessions of visitors it no longer holds (re-keyed, vanished or erased: the
-- aggregation drops a visitor's sessions all together, and restamps every session of
-- a visitor it rebuilds, which this copy then replaces whole). Equal to a full copy
-- (tests/python/test_incremental.py).
{% set rebuilt_visitors %}
    visitor_key in (
        select aggregated.visitor_key from {{ ref('int_web_sessions_aggregated') }} as aggregated
        where aggregated.sessionised_at > {{ previous_run_stamp('sessionised_at') }}
    )
{% endset %}
{{ published_copy(ref('int_web_sessions_aggregated'), rebuilt_visitors if is_incremental() else none) }}
