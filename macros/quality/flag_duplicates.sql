{#
    The last step of every base model. Reads `from_cte`, which must carry
    `raw_fingerprint` and `blocking_reasons` (null when the row passes every
    blocking rule), and adds:
    - raw_row_id: fingerprint and copy number, unique per raw row;
    - copy_number / is_exact_duplicate: rows with the same natural key and the same
      raw fingerprint are one record re-sent; the first copy is kept (copies are
      identical, so which one does not change any value) and the others are counted
      as duplicates removed;
    - version_rank: among the remaining rows of one key, the valid rows first, then
      `version_order` (e.g. latest update first), then the fingerprint as a final,
      deterministic tie-break. Rank 1 is kept; later ranks are conflicting versions;
    - quarantine_reasons: blocking_reasons plus `duplicate_key_conflict` for a
      conflicting version; null for clean rows and for exact duplicates;
    - is_quarantined.
#}
{% macro flag_duplicates(from_cte, key_columns, version_order) %}
    {% set key_list = key_columns | join(', ') %}
    select
        versions.*,
        versions.raw_fingerprint || '-' || cast(versions.copy_number as varchar) as raw_row_id,
        versions.copy_number > 1 as is_exact_duplicate,
        case
            when versions.copy_number = 1
                then nullif(concat_ws(
                    ',',
                    versions.blocking_reasons,
                    case
                        when versions.version_rank > 1
                            {%- for key in key_columns %}
                            and versions.{{ key }} is not null
                            {%- endfor %}
                            then 'duplicate_key_conflict'
                    end
                ), '')
        end as quarantine_reasons,
        versions.copy_number = 1 and (
            versions.blocking_reasons is not null
            or (
                versions.version_rank > 1
                {%- for key in key_columns %}
                and versions.{{ key }} is not null
                {%- endfor %}
            )
        ) as is_quarantined
    from (
        select
            copies.*,
            row_number() over (
                partition by {{ key_list }}, copies.copy_number = 1
                order by copies.blocking_reasons is null desc, {{ version_order }}, copies.raw_fingerprint
            ) as version_rank
        from (
            select
                {{ from_cte }}.*,
                row_number() over (
                    partition by {{ key_list }}, {{ from_cte }}.raw_fingerprint
                    order by {{ from_cte }}.raw_fingerprint
                ) as copy_number
            from {{ from_cte }}
        ) as copies
    ) as versions
{% endmacro %}
