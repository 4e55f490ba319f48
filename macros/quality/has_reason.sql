{#
    True when the reason-code list `codes` (a column built by reason_codes: codes
    joined by commas) holds any of the whole codes in `wanted` (a list); false when
    it is null. Matches whole codes only, so `birth_date` never matches
    `bad_birth_date` by accident.
        has_reason('quality_flags', ['bad_birth_date', 'impossible_birth_date'])
#}
{% macro has_reason(codes, wanted) %}
    {%- if wanted is string %}{% set wanted = [wanted] %}{% endif -%}
    (
    {%- for code in wanted %}
        coalesce(',' || {{ codes }} || ',' like '%,{{ code }},%', false){{ " or" if not loop.last }}
    {%- endfor %}
    )
{% endmacro %}
