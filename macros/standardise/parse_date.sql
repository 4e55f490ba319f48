{#
    Parse a text date in any of the raw formats, or null for anything else:
    - `YYYY-MM-DD`, `YYYY/MM/DD` and ISO 8601 basic `YYYYMMDD`;
    - `DD.MM.YYYY` (day first, as written in most of Europe);
    - `MM-DD-YYYY` (US systems: a dash and the year last means month first);
    - slashed dates with the year last, `NN/NN/YYYY` and `NN/NN/YY`, are ambiguous:
      the `slashed_date_order` var says which comes first, `dmy` (default: day,
      as in the UK, Europe, Australia, India) or `mdy` (month, as in the US).
    A two-digit year is put in the century that makes the date not later than
    `not_after` (a SQL date expression), so '12/03/51' read on 2026-09-30 is
    1951-03-12.
#}
{% macro parse_date(column, not_after) %}
    {{ return(adapter.dispatch('parse_date', 'c360')(column, not_after)) }}
{% endmacro %}

{% macro slashed_date_format() %}
    {% set order = var('slashed_date_order', 'dmy') %}
    {% if order not in ('dmy', 'mdy') %}
        {{ exceptions.raise_compiler_error(
            "var slashed_date_order must be 'dmy' (day first) or 'mdy' (month first), not '" ~ order ~ "'") }}
    {% endif %}
    {{ return('%d/%m/%Y' if order == 'dmy' else '%m/%d/%Y') }}
{% endmacro %}

{% macro duckdb__parse_date(column, not_after) %}
    {% set slashed = c360.slashed_date_format() %}
    case
        when regexp_full_match(trim({{ column }}), '\d{4}-\d{1,2}-\d{1,2}')
            then cast(try_strptime(trim({{ column }}), '%Y-%m-%d') as date)
        when regexp_full_match(trim({{ column }}), '\d{8}')
            then cast(try_strptime(trim({{ column }}), '%Y%m%d') as date)
        when regexp_full_match(trim({{ column }}), '\d{4}/\d{1,2}/\d{1,2}')
            then cast(try_strptime(trim({{ column }}), '%Y/%m/%d') as date)
        when regexp_full_match(trim({{ column }}), '\d{1,2}\.\d{1,2}\.\d{4}')
            then cast(try_strptime(trim({{ column }}), '%d.%m.%Y') as date)
        when regexp_full_match(trim({{ column }}), '\d{1,2}/\d{1,2}/\d{4}')
            then cast(try_strptime(trim({{ column }}), '{{ slashed }}') as date)
        when regexp_full_match(trim({{ column }}), '\d{1,2}-\d{1,2}-\d{4}')
            then cast(try_strptime(trim({{ column }}), '%m-%d-%Y') as date)
        when regexp_full_match(trim({{ column }}), '\d{1,2}/\d{1,2}/\d{2}')
            then cast(
                try_strptime(
                    regexp_replace(trim({{ column }}), '(\d{2})$', '')
                    || case
                        when 2000 + cast(right(trim({{ column }}), 2) as integer)
                            <= extract(year from {{ not_after }})
                            then '20'
                        else '19'
                    end
                    || right(trim({{ column }}), 2),
                    '{{ slashed }}'
                ) as date
            )
    end
{% endmacro %}
