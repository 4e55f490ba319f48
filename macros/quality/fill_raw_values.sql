{#
    Post-hook of every base model: fills `raw_values` (the raw row as JSON text) on
    its quarantined rows, which flag_duplicates leaves null. The few quarantined
    rows are found again by their fingerprint in the source the model reads (its
    one source()), so the raw text is not carried through the de-duplication sort of
    every row, and the model's select reads its rows once. Filling them in the
    select instead (a join back to the raw rows, needing the quarantined
    fingerprints) read the de-duplicated rows twice, so DuckDB kept them all in a
    materialised CTE (a third of base_web__events' CPU time by EXPLAIN ANALYZE; the
    figures are in the benchmark report). Only rows still without raw values are filled, so an
    incremental run fills its new and re-checked rows, reading only their files.
    Exact copies share a fingerprint and are identical, so any one of them gives
    the raw values; re-sent copies of a quarantined row (not quarantined
    themselves) keep null.
#}
{% macro fill_raw_values() %}
    {% if execute %}
        {#- a model may name its source more than once (e.g. repeated_raw_keys) -#}
        {% set read_sources = model.sources | map('join', '.') | unique | list %}
        {% if read_sources | length != 1 %}
            {{ exceptions.raise_compiler_error(
                "fill_raw_values: " ~ model.name ~ " must read exactly one source, reads "
                ~ read_sources | length) }}
        {% endif %}
        {% set raw_relation = source(model.sources[0][0], model.sources[0][1]) %}
        {#- an optional raw table without a file has no rows to fill -#}
        {% if not c360.raw_files_present(model.sources[0][0], model.sources[0][1]) %}
            {{ return('') }}
        {% endif %}
        {#- incremental base models know each row's file: read only the files of the
            rows to fill; none: no statement, and dbt runs nothing -#}
        {% set files = none %}
        {% if 'raw_file' in adapter.get_columns_in_relation(this) | map(attribute='name') | list %}
            {% set files = run_query(
                'select distinct raw_file from ' ~ this
                ~ ' where is_quarantined and raw_values is null order by raw_file').columns[0].values() %}
        {% endif %}
        {% if files is none or files | length > 0 %}
            update {{ this }} as base
            set raw_values = raw_rows.raw_values
            from (
                select
                    fingerprinted.raw_fingerprint,
                    min(fingerprinted.raw_values) as raw_values
                from (
                    select
                        {{ c360.raw_row_fingerprint('raw') }} as raw_fingerprint,
                        {{ c360.row_as_json('raw') }} as raw_values
                    from {{ raw_relation }} as raw
                    {% if files %}
                        where {{ c360.raw_file_name('raw') }} in ({{ c360.sql_string_list(files) }})
                    {% endif %}
                ) as fingerprinted
                where fingerprinted.raw_fingerprint in (
                    select quarantined.raw_fingerprint
                    from {{ this }} as quarantined
                    where quarantined.is_quarantined and quarantined.raw_values is null
                )
                group by fingerprinted.raw_fingerprint
            ) as raw_rows
            where base.is_quarantined and base.raw_values is null and base.raw_fingerprint = raw_rows.raw_fingerprint
        {% endif %}
    {% endif %}
{% endmacro %}
