{#
    Parse a text date in any of the raw formats: `YYYY-MM-DD`, `DD/MM/YYYY`,
    `DD/MM/YY` and `MM-DD-YYYY` (US systems: a dash and the year last means month
    first). A two-digit year is put in the century that makes the date not later
    than `not_after` (a SQL date expression), so '12/03/51' read on 2026-09-30 is
    1951-03-12. Returns null for anything else.
#}
{% macro parse_date(column, not_after) %}
    {{ return(adapter.dispatch('parse_date', 'c360')(column, not_after)) }}
{% endmacro %}

{% macro duckdb__parse_date(column, not_after) %}
    case
        when regexp_full_match(trim({{ column }}), '\d{4}-\d{1,2}-\d{1,2}')
            then cast(try_strptime(trim({{ column }}), '%Y-%m-%d') as date)
        when regexp_full_match(trim({{ column }}), '\d{1,2}/\d{1,2}/\d{4}')
            then cast(try_strptime(trim({{ column }}), '%d/%m/%Y') as date)
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
                    '%d/%m/%Y'
                ) as date
            )
    end
{% endmacro %}
