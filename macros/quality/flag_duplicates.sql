{#
    The last step of every base model. Reads `from_cte`, which must carry
    `raw_fingerprint` and `blocking_reasons` (null when the row passes every
    blocking rule), and adds:
    - raw_row_id: fingerprint and copy number, unique per raw row;
    - copy_number / is_exact_duplicate: rows with the same natural key and the same
      raw fingerprint are one record re-sent; the first copy is kept (copies are
      identical, so which one does not change any value) and the others are counted
      as duplicates removed;
    - version_rank: among the distinct rows of one key, the valid rows first, then
      `version_order` (e.g. latest update first), then the fingerprint as a final,
      deterministic tie-break. Rank 1 is kept; later ranks are conflicting versions.
      Null when the key is missing: such rows have no versions (they are
      quarantined), and their rank would depend on every other keyless row;
    - quarantine_reasons: blocking_reasons plus `duplicate_key_conflict` for a
      conflicting version; null for clean rows and for exact duplicates;
    - is_quarantined;
    - raw_values: null here; the model's post-hook fill_raw_values fills it on the
      quarantined rows (the raw row as JSON text).
    Keys seen once (almost every row of a real export) are settled without a sort:
    one copy, one version. Only the rows of repeated keys, found by a hash
    aggregation over the key columns alone, go through the window, where the
    fingerprint ends the ordering, so exact copies tie and sit together; rank()
    marks where a copy group starts (copy number = row number - rank + 1) and
    dense_rank() numbers the distinct versions. (A window over every wide row was
    the largest step of the event stream's base model.) Keys compare with
    `is not distinct from`, so rows without a key are one group, as in a window.
    sqlfluff cannot count the columns of a union of `*` selects: the models' final
    `select * from flagged` carries a `noqa: AM04` pointing here.
#}
{% macro flag_duplicates(from_cte, key_columns, version_order) %}
    {% set conflict %}
        versions.version_rank > 1
        {%- for key in key_columns %}
        and versions.{{ key }} is not null
        {%- endfor %}
    {% endset %}
    {% set has_key %}
        {%- for key in key_columns %}{{ from_cte }}.{{ key }} is not null{{ ' and ' if not loop.last }}{% endfor -%}
    {% endset %}
    {% set same_key %}
        {%- for key in key_columns %}{{ from_cte }}.{{ key }} is not distinct from repeated_keys.{{ key }}{{ ' and ' if not loop.last }}{% endfor -%}
    {% endset %}
    with repeated_keys as (
        select {{ key_columns | join(', ') }}
        from {{ from_cte }}
        group by {{ key_columns | join(', ') }}
        having count(*) > 1
    )
    select
        versions.*,
        versions.raw_fingerprint || '-' || cast(versions.copy_number as varchar) as raw_row_id,
        versions.copy_number > 1 as is_exact_duplicate,
        case
            when versions.copy_number = 1
                then nullif(concat_ws(
                    ',',
                    versions.blocking_reasons,
                    case when {{ conflict }} then 'duplicate_key_conflict' end
                ), '')
        end as quarantine_reasons,
        versions.copy_number = 1 and (versions.blocking_reasons is not null or ({{ conflict }})) as is_quarantined,
        cast(null as varchar) as raw_values
    from (
        select
            {{ from_cte }}.*,
            cast(1 as bigint) as copy_number,
            case when {{ has_key }} then cast(1 as bigint) end as version_rank
        from {{ from_cte }}
        where not exists (select 1 from repeated_keys where {{ same_key }})
        union all
        select
            {{ from_cte }}.*,
            row_number() over versions_of_key - rank() over versions_of_key + 1 as copy_number,
            case
                when {{ has_key }}
                    then dense_rank() over versions_of_key
            end as version_rank
        from {{ from_cte }}
        where exists (select 1 from repeated_keys where {{ same_key }})
        window versions_of_key as (
            partition by {{ key_columns | join(', ') }}
            order by {{ from_cte }}.blocking_reasons is null desc, {{ version_order }}, {{ from_cte }}.raw_fingerprint
        )
    ) as versions
{% endmacro %}
