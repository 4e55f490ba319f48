{{ config(post_hook="{{ fill_raw_values() }}") }}

-- Every row of the optional experiment assignment export, standardised and checked;
-- stg_experiments__assignments keeps the clean rows. No file: no rows.
{% set raw = source('experiments', 'experiment_assignments') %}
with

{% if raw_files_present('experiments', 'experiment_assignments') %}
    source as (
        select * from {{ raw }}
    ),
{% else %}
    source as (
        select
            cast(null as varchar) as experiment_id,
            cast(null as varchar) as variant,
            cast(null as varchar) as customer_ref,
            cast(null as varchar) as anonymous_id,
            cast(null as varchar) as assigned_at
        where false
    ),
{% endif %}

audited as (
    select
        *,
        {{ raw_audit_columns('source') }},
        concat_ws('|', experiment_id, variant, customer_ref, anonymous_id, assigned_at) as raw_key
    from source
),

standardised as (
    select
        {{ clean_text('experiment_id') }} as experiment_id,
        lower({{ clean_text('variant') }}) as variant,
        {{ clean_text('customer_ref') }} as customer_ref,
        {{ normalize_email('customer_ref') }} as customer_email,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('assigned_at') }} as assigned_at_original,
        {{ parse_timestamp('assigned_at') }} as assigned_at,
        raw_fingerprint,
        raw_key,
        has_oversized_value
    from audited
),

validated as (
    select
        *,
        case
            when customer_ref like '%@%' then 'email'
            when customer_ref is not null then 'contact_id'
        end as customer_ref_type,
        {{ email_match_key('customer_email') }} as customer_email_match_key,
        {{ reason_codes([
            ['missing_id', 'experiment_id is null or variant is null'],
            ['missing_customer_ref', 'customer_ref is null and anonymous_id is null'],
            ['bad_email', "customer_ref like '%@%' and customer_email is null"],
            ['bad_timestamp', 'assigned_at is null'],
            ['future_timestamp', 'assigned_at >= ' ~ as_of_cutoff(ref('base_run__as_of_date'))],
            ['oversized_value', 'has_oversized_value'],
        ]) }} as blocking_reasons
    from standardised
),

flagged as (
    {{ flag_duplicates('validated', ['experiment_id', 'variant', 'customer_ref', 'anonymous_id'], 'assigned_at') }}
)

-- flag_duplicates unions two branches over *, whose columns sqlfluff cannot count
select * from flagged  -- noqa: AM04
