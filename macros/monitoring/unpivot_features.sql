{#
    Long form of the monitored model inputs: one row per customer and feature
    (feature_name, feature_value as double), nulls left out. Reads the columns listed
    in the `monitored_features` var from `relation`.
#}
{% macro unpivot_features(relation) %}
    {%- for feature in var('monitored_features') %}
        select
            '{{ feature }}' as feature_name,
            cast({{ feature }} as double) as feature_value
        from {{ relation }}
        where {{ feature }} is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}
