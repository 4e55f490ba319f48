{#
    Compile the segment rules in a definitions table (same columns as the
    segment_definitions seed) against int_segment_inputs_joined, failing with the
    same messages as a build would. For checking a new definitions file before
    loading it: `dbt run-operation validate_segment_definitions --args '{table: my_defs}'`.
#}
{% macro validate_segment_definitions(table) %}
    {% set definitions = api.Relation.create(database=target.database, schema=target.schema, identifier=table) %}
    {% set sql = c360.segment_membership_sql(definitions, ref('int_segment_inputs_joined')) %}
    {% do log("Segment definitions in " ~ table ~ " compile: " ~ (sql.split('union all') | length) ~ " segment(s)", info=true) %}
{% endmacro %}
