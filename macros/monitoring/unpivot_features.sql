{#
    Long form of the monitored model inputs: one row per customer and feature
    (feature_name, feature_value as double), nulls left out. Reads the columns named
    in `features` (the segmentation var's `features`) from `relation`.
#}
{% macro unpivot_features(relation, features) %}
    {%- for feature in features %}
        select
            '{{ feature }}' as feature_name,
            cast({{ feature }} as double) as feature_value
        from {{ relation }}
        where {{ feature }} is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}
