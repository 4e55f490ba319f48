{#
    Relation of a lookup seed read at compile time by map_to_vocabulary, in_seed
    and the other compile-time seed readers. Normally `ref(seed_name)`, which also records the
    dependency. dbt unit tests forbid refs that are not given as fixtures and
    replace given ones with CTEs that cannot be queried at compile time, so there
    the seed table already built in the target schema is used instead: unit tests
    exercise the real vocabularies.
#}
{% macro lookup_seed(seed_name) %}
    {% if model is mapping and model.get('resource_type') == 'unit_test' %}
        {{ return(api.Relation.create(database=target.database, schema=target.schema, identifier=seed_name)) }}
    {% endif %}
    {{ return(ref(seed_name)) }}
{% endmacro %}
