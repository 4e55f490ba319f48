-- Every raw row that failed a blocking rule, with its reasons and its raw values.
-- Raw values and key that mention a customer being erased (any of their identifiers,
-- int_identifiers_erased) are redacted: the row still counts in the reconciliation.
with

quarantined as (
    {% for source_table, models in raw_table_models().items() %}
        select
            '{{ source_table }}' as source_table,
            raw_fingerprint,
            raw_key,
            quarantine_reasons,
            raw_values
        from {{ ref(models[0]) }}
        where is_quarantined
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

identifiers_erased as (
    select * from {{ ref('int_identifiers_erased') }}
),

redacted as (
    select distinct
        quarantined.source_table,
        quarantined.raw_fingerprint
    from quarantined
    inner join identifiers_erased
        on position(identifiers_erased.identifier_value in lower(quarantined.raw_values)) > 0
),

final as (
    select
        md5(quarantined.source_table || '|' || quarantined.raw_fingerprint) as quarantine_row_id,
        quarantined.source_table,
        case when redacted.raw_fingerprint is null then quarantined.raw_key end as raw_key,
        quarantined.quarantine_reasons,
        {{ dbt.split_part('quarantined.quarantine_reasons', "','", 1) }} as primary_reason,
        case when redacted.raw_fingerprint is null then quarantined.raw_values end as raw_values,
        redacted.raw_fingerprint is not null as is_redacted,
        {{ as_of_date() }} as as_of_date
    from quarantined
    left join redacted
        on
            quarantined.source_table = redacted.source_table
            and quarantined.raw_fingerprint = redacted.raw_fingerprint
)

select * from final
