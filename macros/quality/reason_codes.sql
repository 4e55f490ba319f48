{#
    Comma-separated list of the reason codes whose condition holds, in the order
    given, or null when none does. `checks` is a list of [code, condition] pairs;
    a null condition counts as false.
        reason_codes([['missing_id', 'contact_id is null'], ['bad_email', '...']])
#}
{% macro reason_codes(checks) %}
    nullif(
        concat_ws(
            ','
            {%- for code, condition in checks %},
            case
                when {{ condition }}
                    then '{{ code }}'
            end
            {%- endfor %}
        ),
        ''
    )
{% endmacro %}
