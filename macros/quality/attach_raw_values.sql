{#
    The final select of every base model: every column of `flagged_cte` (the
    flag_duplicates step) plus `raw_values`, the raw row as JSON text, for the
    quarantined rows only (null for the others). The few quarantined rows are found
    again in `raw_relation` (the source relation itself, not the model's `source` CTE:
    a CTE read twice is materialised whole, which cost a quarter of the time and
    1.2 GiB of base_web__events at 100,000 customers) by their fingerprint, so the raw
    text is not carried through the de-duplication sort of every row (that was half
    the cost of base_web__events). Exact copies share a fingerprint and are identical, so any
    one of them gives the raw values. The join is on the fingerprint alone (an
    equi-join runs as a hash join); re-sent copies of a quarantined row get no values.
#}
{% macro attach_raw_values(raw_relation, flagged_cte) %}
    select
        {{ flagged_cte }}.*,
        case when {{ flagged_cte }}.is_quarantined then raw_rows.raw_values end as raw_values
    from {{ flagged_cte }}
    left join (
        select
            fingerprinted.raw_fingerprint,
            min(fingerprinted.raw_values) as raw_values
        from (
            select
                {{ c360.raw_row_fingerprint('raw') }} as raw_fingerprint,
                {{ c360.row_as_json('raw') }} as raw_values
            from {{ raw_relation }} as raw
        ) as fingerprinted
        where fingerprinted.raw_fingerprint in (
            select quarantined.raw_fingerprint
            from {{ flagged_cte }} as quarantined
            where quarantined.is_quarantined
        )
        group by fingerprinted.raw_fingerprint
    ) as raw_rows
        on {{ flagged_cte }}.raw_fingerprint = raw_rows.raw_fingerprint
{% endmacro %}
