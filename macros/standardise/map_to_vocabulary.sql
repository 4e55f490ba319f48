{#
    Map a raw category value to a closed vocabulary through a mapping seed with
    columns `raw_value` (lowercase, trimmed) and `canonical_value`. Compiles to a
    CASE expression (so staging needs no join); unmapped values give null, which
    the caller flags. The seed is read when the model compiles, after it is loaded.
#}
{% macro map_to_vocabulary(column, mapping_seed) %}
    {% set seed_relation = c360.lookup_seed(mapping_seed) %}
    {% if execute and load_relation(seed_relation) is not none %}
        {% set rows = run_query(
            "select raw_value, canonical_value from " ~ seed_relation ~ " order by raw_value"
        ) %}
        case lower(trim({{ column }}))
        {%- for row in rows %}
            when '{{ row[0] | replace("'", "''") }}' then '{{ row[1] | replace("'", "''") }}'
        {%- endfor %}
        end
    {% else %}
        cast(null as varchar)
    {% endif %}
{% endmacro %}
