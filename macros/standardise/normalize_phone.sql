{#
    Phone number to E.164 (`+<country code><number>`), using the row's dialling
    code (a SQL expression, e.g. from `country_dial_code`) for national numbers.
    Understands `+44 ...`, `0044 ...`, national numbers with a trunk `0`, US
    numbers with or without the leading 1, and punctuation. An extension
    (`x12`, `ext. 12`, `#12`) is removed here and returned by `phone_extension`.
    Null when the result is not 8 to 15 digits after the plus.
#}
{% macro normalize_phone(column, dial_code) %}
    {% set main -%}
        regexp_replace(
            regexp_replace(lower({{ column }}), '\s*(ext\.?|x|#)\s*\d+\s*$', ''),
            '[^0-9+]', '', 'g'
        )
    {%- endset %}
    {% set e164 -%}
        case
            when {{ main }} like '+%' then '+' || replace({{ main }}, '+', '')
            when {{ main }} like '00%' then '+' || substr({{ main }}, 3)
            when {{ dial_code }} = '1' and length({{ main }}) = 11 and {{ main }} like '1%'
                then '+' || {{ main }}
            when {{ main }} like '0%' then '+' || {{ dial_code }} || substr({{ main }}, 2)
            else '+' || {{ dial_code }} || {{ main }}
        end
    {%- endset %}
    case
        when {{ c360.regex_full_match(e164, "'\+[1-9][0-9]{7,14}'") }} then {{ e164 }}
    end
{% endmacro %}

{% macro phone_extension(column) %}
    nullif(regexp_extract(lower({{ column }}), '(ext\.?|x|#)\s*(\d+)\s*$', 2), '')
{% endmacro %}
