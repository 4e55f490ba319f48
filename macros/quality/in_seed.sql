{#
    True when `expression` is one of the values of `seed_column` in the seed
    `seed_name` (compiled to an IN list when the model compiles, so no join is
    needed). Null expressions give null.
#}
{% macro in_seed(expression, seed_name, seed_column) %}
    {% set seed_relation = c360.lookup_seed(seed_name) %}
    {% if execute and load_relation(seed_relation) is not none %}
        {% set values = run_query("select distinct " ~ seed_column ~ " from " ~ seed_relation ~ " order by 1").columns[0].values() %}
        {{ expression }} in (
            {%- for value in values %}'{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor -%}
        )
    {% else %}
        true
    {% endif %}
{% endmacro %}
