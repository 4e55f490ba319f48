{#
    Aggregate expression: the population stability index between two share
    columns over the bins of one group, sum((current - previous) * ln(current /
    previous)), each share floored at 0.0001 so an empty bin does not give infinity.
    Above about 0.2 the distribution has shifted materially.
#}
{% macro population_stability_index(current_share, previous_share) %}
    sum(
        (greatest({{ current_share }}, 0.0001) - greatest({{ previous_share }}, 0.0001))
        * ln(greatest({{ current_share }}, 0.0001) / greatest({{ previous_share }}, 0.0001))
    )
{% endmacro %}
