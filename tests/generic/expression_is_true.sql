{#
    Fails for every row where the SQL boolean `expression` is not true (a null
    result fails too).
#}
{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{% endtest %}
