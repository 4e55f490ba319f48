-- Every raw row that failed a blocking rule, with its reasons and its raw values.
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

final as (
    select
        md5(source_table || '|' || raw_fingerprint) as quarantine_row_id,
        source_table,
        raw_key,
        quarantine_reasons,
        {{ dbt.split_part('quarantine_reasons', "','", 1) }} as primary_reason,
        raw_values,
        {{ as_of_date() }} as as_of_date
    from quarantined
)

select * from final
