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

    repeated_flag (optional): a boolean column of `from_cte`, true when the row's key
    is repeated among its rows, found on the raw rows before they are standardised
    (repeated_raw_keys, join_repeated_raw_keys). The branches then only filter on it,
    a filter the engine applies before the projections upstream, so each row is
    standardised once; the semi-join on the key, a computed column, is applied after
    them: every row was standardised once per branch. The column is not in the
    output. Valid only when `from_cte` holds exactly the raw rows the flag was found
    on, so it is used on a full build and ignored on an incremental run, whose loaded
    versions join the new rows (an incremental model leaves the column out of
    with_loaded's columns there). Compiled selects at 1,000,000 customers in-process,
    2 threads, 2,400 MB, the same rows: base_web__events (49.3 M events) 134.8 s against 167.1 s,
    base_shop__orders 26.6 s against 30.0 s, base_crm__contacts 9.2 s against
    11.0 s; base_email__events (4.4 M) 11.0 s against 10.6 s, so it keeps the
    semi-join.
#}
{% macro flag_duplicates(from_cte, key_columns, version_order, repeated_flag=none) %}
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
    {#- is_incremental() only on incremental models: in a table model's unit test it has no relation to look at -#}
    {%- if repeated_flag and config.get('materialized') == 'incremental' and is_incremental() %}
        {%- set repeated_flag = none %}
    {%- endif %}
    {%- if repeated_flag %}
        {%- set seen_once = 'not ' ~ from_cte ~ '.' ~ repeated_flag %}
        {%- set seen_again = from_cte ~ '.' ~ repeated_flag %}
    {%- else %}
        {%- set seen_once = 'not exists (select 1 from repeated_keys where ' ~ same_key ~ ')' %}
        {%- set seen_again = 'exists (select 1 from repeated_keys where ' ~ same_key ~ ')' %}
    with repeated_keys as (
        select {{ key_columns | join(', ') }}
        from {{ from_cte }}
        group by {{ key_columns | join(', ') }}
        having count(*) > 1
    )
    {%- endif %}
    select
        {{ c360.star_except('versions', [repeated_flag] if repeated_flag else []) }},
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
        where {{ seen_once }}
        union all
        select
            {{ from_cte }}.*,
            row_number() over versions_of_key - rank() over versions_of_key + 1 as copy_number,
            case
                when {{ has_key }}
                    then dense_rank() over versions_of_key
            end as version_rank
        from {{ from_cte }}
        where {{ seen_again }}
        window versions_of_key as (
            partition by {{ key_columns | join(', ') }}
            order by {{ from_cte }}.blocking_reasons is null desc, {{ version_order }}, {{ from_cte }}.raw_fingerprint
        )
    ) as versions
{% endmacro %}

{#- Every column of `alias` but `columns` (a list; empty: every column). -#}
{% macro star_except(alias, columns) %}
    {{- return(adapter.dispatch('star_except', 'c360')(alias, columns)) -}}
{% endmacro %}

{% macro default__star_except(alias, columns) -%}
    {{ alias }}.*{% if columns %} except ({{ columns | join(', ') }}){% endif %}
{%- endmacro %}

{% macro duckdb__star_except(alias, columns) -%}
    {{ alias }}.*{% if columns %} exclude ({{ columns | join(', ') }}){% endif %}
{%- endmacro %}

{#- The keys (`key_expressions`: the model's standardised key columns, as SQL over
    the raw row) repeated among the raw rows of `relation` (read as `alias`, with
    `where_clause`, e.g. only_new_raw_files): columns key_1, key_2, ... and
    is_repeated (true). For join_repeated_raw_keys and flag_duplicates' repeated_flag. -#}
{% macro repeated_raw_keys(relation, alias, key_expressions, where_clause='') %}
    select
        {%- for expression in key_expressions %}
        {{ expression }} as key_{{ loop.index }},
        {%- endfor %}
        true as is_repeated
    from {{ relation }} as {{ alias }}
    {{ where_clause }}
    group by {% for expression in key_expressions %}{{ loop.index }}{{ ', ' if not loop.last }}{% endfor %}
    having count(*) > 1
{% endmacro %}

{#- A left join of the raw rows to `keys_cte` (a repeated_raw_keys query) on the
    same `key_expressions`, compared with `is not distinct from` as in
    flag_duplicates: `coalesce(<keys_cte>.is_repeated, false)` is then the row's flag.
    A join, not an `exists` on the expressions: DuckDB plans a correlated `exists`
    on a computed key as a delim join that stores every wide raw row first (274.5 s
    against 131.9 s for base_web__events at 1,000,000 customers). -#}
{% macro join_repeated_raw_keys(keys_cte, key_expressions) %}
    left join {{ keys_cte }}
        on {% for expression in key_expressions %}{{ keys_cte }}.key_{{ loop.index }} is not distinct from {{ expression }}{{ ' and ' if not loop.last }}{% endfor %}
{% endmacro %}
