{#
    International dialling code (text, no plus) of an ISO 3166 alpha-2 country
    code expression, from the `countries` seed; the `default_country` var's code
    when the country is null or unknown.
#}
{% macro country_dial_code(country_code) %}
    {% set seed_relation = c360.lookup_seed('countries') %}
    {% if execute and load_relation(seed_relation) is not none %}
        {% set rows = run_query("select country_code, dial_code from " ~ seed_relation ~ " order by 1") %}
        {% set default = [] %}
        case {{ country_code }}
        {%- for row in rows %}
            when '{{ row[0] }}' then '{{ row[1] }}'
            {%- if row[0] == var('default_country') %}{% do default.append(row[1]) %}{% endif %}
        {%- endfor %}
            else '{{ default[0] if default else "" }}'
        end
    {% else %}
        cast(null as varchar)
    {% endif %}
{% endmacro %}
