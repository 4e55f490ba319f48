-- Every raw row that failed a blocking rule, with its reasons and its raw values, and
-- every raw CSV line the file reader could not make a row of (`malformed_line`).
-- Raw values and key that mention a customer being erased (any of their identifiers,
-- int_identifiers_erased) are redacted: the row still counts in the reconciliation.
{% set probe_width = 8 %}{# characters per probe in the redaction search (redacted, below) #}
with

malformed_lines as (
    select
        source_table,
        raw_fingerprint,
        raw_file,
        line_number,
        error_type,
        raw_line
    from {{ ref('base_run__malformed_raw_lines') }}
),

quarantined as (
    select
        source_table,
        raw_fingerprint,
        cast(null as varchar) as raw_key,
        'malformed_line' as quarantine_reasons,
        -- the line, where it stands and why it could not be read, as the raw values
        {{ row_as_json('malformed_lines') }} as raw_values
    from malformed_lines
    union all
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

quarantined_text as (
    select
        source_table,
        raw_fingerprint,
        lower(raw_values) as raw_text
    from quarantined
    where raw_values is not null
),

-- Redaction needs every (quarantined row, erased identifier) pair where the identifier
-- occurs in the row's text. Testing every pair with position() costs quarantined rows
-- x identifiers, which grows with the square of the data. Instead each text is
-- cut into every 8-character probe and joined on the first 8 characters of each
-- identifier: an identifier occurs in a text only if its first 8 characters do, so
-- the equi-join finds every pair, and position() confirms the few candidates.
-- Identifiers shorter than the probe are tested pair by pair (there are few).
text_probes as (
    select
        source_table,
        raw_fingerprint,
        substr(raw_text, start_at, {{ probe_width }}) as probe
    from (
        select
            source_table,
            raw_fingerprint,
            raw_text,
            {{ integer_series(1, 'length(raw_text) - ' ~ (probe_width - 1)) }} as start_at
        from quarantined_text
    ) as positions
),

identifier_probes as (
    select
        identifier_value,
        left(identifier_value, {{ probe_width }}) as probe
    from identifiers_erased
    where length(identifier_value) >= {{ probe_width }}
),

candidates as (
    select distinct
        text_probes.source_table,
        text_probes.raw_fingerprint,
        identifier_probes.identifier_value
    from text_probes
    inner join identifier_probes on text_probes.probe = identifier_probes.probe
),

redacted as (
    select
        quarantined_text.source_table,
        quarantined_text.raw_fingerprint
    from candidates
    inner join quarantined_text
        on
            candidates.source_table = quarantined_text.source_table
            and candidates.raw_fingerprint = quarantined_text.raw_fingerprint
    where position(candidates.identifier_value in quarantined_text.raw_text) > 0
    union
    select
        quarantined_text.source_table,
        quarantined_text.raw_fingerprint
    from quarantined_text
    inner join identifiers_erased
        on
            length(identifiers_erased.identifier_value) < {{ probe_width }}
            and position(identifiers_erased.identifier_value in quarantined_text.raw_text) > 0
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
        {{ as_of_date(ref('base_run__as_of_date')) }} as as_of_date
    from quarantined
    left join redacted
        on
            quarantined.source_table = redacted.source_table
            and quarantined.raw_fingerprint = redacted.raw_fingerprint
)

select * from final
