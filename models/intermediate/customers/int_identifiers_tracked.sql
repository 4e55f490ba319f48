{{
    config(
        materialized='incremental',
        unique_key='identifier_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}
-- Every identifier ever resolved (int_identifiers_resolved), with the customer it
-- resolves to now (null once it no longer resolves: its records were removed or
-- erased) and the start of the run that last changed that: it appeared, moved to
-- another customer (a merge, a split, a later login on a device) or went away. The
-- incremental models downstream of identity read the identifiers changed since
-- their own last run from here instead of comparing every row they hold with the
-- whole resolution again. A full refresh stamps every identifier with its run.
with

resolved as (
    select
        identifier_key,
        customer_id
    from {{ ref('int_identifiers_resolved') }}
),

{% if is_incremental() %}
previous as (
    select
        identifier_key,
        customer_id
    from {{ this }}
),
{% endif %}

changed as (
    {% if is_incremental() %}
        -- new, moved, or gone (the previous row of a gone identifier keeps no customer)
        select
            coalesce(resolved.identifier_key, previous.identifier_key) as identifier_key,
            resolved.customer_id
        from resolved
        full outer join previous on resolved.identifier_key = previous.identifier_key
        where resolved.customer_id is distinct from previous.customer_id
    {% else %}
        select
            identifier_key,
            customer_id
        from resolved
    {% endif %}
),

final as (
    select
        identifier_key,
        customer_id,
        {{ run_started_timestamp() }} as changed_at
    from changed
)

select * from final
