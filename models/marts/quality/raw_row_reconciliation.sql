-- Per raw table: raw rows = clean rows + quarantined rows + exact duplicates removed.
-- Raw rows include the malformed CSV lines the file reader skipped; they are
-- quarantined (quarantine_rows, reason malformed_line) and counted in both.
with

malformed_counts as (
    select
        source_table,
        count(*) as malformed_rows
    from {{ ref('base_run__malformed_raw_lines') }}
    group by 1
),

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

with_malformed as (
    select
        counted.source_table,
        counted.raw_rows + coalesce(malformed_counts.malformed_rows, 0) as raw_rows,
        counted.clean_rows,
        counted.quarantined_rows + coalesce(malformed_counts.malformed_rows, 0) as quarantined_rows,
        coalesce(malformed_counts.malformed_rows, 0) as malformed_rows,
        counted.duplicate_rows_removed
    from counted
    left join malformed_counts on counted.source_table = malformed_counts.source_table
),

final as (
    select
        source_table,
        raw_rows,
        clean_rows,
        quarantined_rows,
        malformed_rows,
        duplicate_rows_removed,
        raw_rows - clean_rows - quarantined_rows - duplicate_rows_removed as unaccounted_rows,
        raw_rows = clean_rows + quarantined_rows + duplicate_rows_removed as is_reconciled
    from with_malformed
)

select * from final
