-- Per raw table: raw rows = clean rows + quarantined rows + exact duplicates removed.
with

{% for source_table, models in raw_table_models().items() %}
    {{ source_table }}_raw_counts as (
        select
            count(*) as raw_rows,
            count(case when is_quarantined then 1 end) as quarantined_rows,
            count(case when is_exact_duplicate then 1 end) as duplicate_rows_removed
        from {{ ref(models[0]) }}
    ),

    {{ source_table }}_clean_counts as (
        select count(*) as clean_rows
        from {{ ref(models[1]) }}
    ),
{% endfor %}

counted as (
    {% for source_table in raw_table_models() %}
        select
            '{{ source_table }}' as source_table,
            {{ source_table }}_raw_counts.raw_rows,
            {{ source_table }}_clean_counts.clean_rows,
            {{ source_table }}_raw_counts.quarantined_rows,
            {{ source_table }}_raw_counts.duplicate_rows_removed
        from {{ source_table }}_raw_counts
        cross join {{ source_table }}_clean_counts
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_table,
        raw_rows,
        clean_rows,
        quarantined_rows,
        duplicate_rows_removed,
        raw_rows - clean_rows - quarantined_rows - duplicate_rows_removed as unaccounted_rows,
        raw_rows = clean_rows + quarantined_rows + duplicate_rows_removed as is_reconciled
    from counted
)

select * from final
