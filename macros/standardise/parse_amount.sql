{#
    Money text to decimal(18, 2): white space, currency symbols and thousands
    commas removed; null when what is left is not a number.
#}
{% macro parse_amount(column) %}
    try_cast(regexp_replace(trim({{ column }}), '[\s,£$€]', '', 'g') as decimal(18, 2))
{% endmacro %}
