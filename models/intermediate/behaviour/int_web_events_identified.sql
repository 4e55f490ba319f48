-- Every clean web/app event with its visitor: the resolved customer when the
-- device is identified (a login on it, now or later), else the anonymous id
-- (macros/behaviour/identify_web_events.sql, the one definition).
-- A view: identification runs inside sessionisation's query, so every event is not
-- written once more as a wide table between the two.
{{ config(materialized='view') }}
with

identified as (
    {{ identify_web_events(ref('stg_web__events'), ref('int_identifiers_resolved')) }}
)

select * from identified
