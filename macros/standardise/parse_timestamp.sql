{#
    Parse a text timestamp in any of the raw formats into a UTC timestamp
    (timestamp without time zone, holding UTC wall-clock time). Returns null when
    the text matches no known format or names an impossible time.

    Formats: ISO 8601 with `T` or a space, optional fractional seconds, and `Z`,
    a `+HH:MM`/`+HHMM` offset or no zone (read as UTC); ISO 8601 basic
    `YYYYMMDDTHHMMSS` with an optional `Z` (UTC); `NN/NN/YYYY HH:MM[:SS]` (UTC; day
    or month first as the `slashed_date_order` var says, see parse_date); epoch
    seconds (9 to 11 digits).
#}
{% macro parse_timestamp(column) %}
    {{ return(adapter.dispatch('parse_timestamp', 'c360')(column)) }}
{% endmacro %}

{% macro duckdb__parse_timestamp(column) %}
    {% set slashed = c360.slashed_date_format() %}
    {% set iso = "'^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)(Z|[+-]\\d{2}:?\\d{2})?$'" %}
    {#- fast path for the common form (seconds and a zone): DuckDB's own timestamptz
        parser, then UTC wall-clock time; about twice as fast as the regex extracts -#}
    {% set iso_zoned = "'\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})'" %}
    case
        when regexp_full_match(trim({{ column }}), {{ iso_zoned }})
            then timezone('UTC', try_cast(trim({{ column }}) as timestamptz))
        when regexp_full_match(trim({{ column }}), '\d{9,11}')
            then epoch_ms(cast(trim({{ column }}) as bigint) * 1000)
        when regexp_full_match(trim({{ column }}), {{ iso }})
            then {{ dbt.dateadd(
                'minute',
                '-1 * ' ~ c360.utc_offset_minutes("regexp_extract(trim(" ~ column ~ "), " ~ iso ~ ", 5)"),
                "try_cast(regexp_extract(trim(" ~ column ~ "), " ~ iso ~ ", 1) || ' ' || regexp_extract(trim(" ~ column ~ "), " ~ iso ~ ", 2) as timestamp)"
            ) }}
        when regexp_full_match(trim({{ column }}), '\d{8}T\d{6}Z?')
            then try_strptime(left(trim({{ column }}), 15), '%Y%m%dT%H%M%S')
        when regexp_full_match(trim({{ column }}), '\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})?')
            then coalesce(
                try_strptime(trim({{ column }}), '{{ slashed }} %H:%M:%S'),
                try_strptime(trim({{ column }}), '{{ slashed }} %H:%M')
            )
    end
{% endmacro %}
