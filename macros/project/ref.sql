{#-
    ref() without the catalog name: every model refers to others as schema.table,
    never "c360".schema.table. DuckDB resolves a view's schema-qualified names in the
    database the view lives in, so the views keep working when the file is copied under
    another name or ATTACHed under another alias (tests/python/test_bi_serving.py).
    The project has one database per target, so the catalog adds nothing.
-#}
{% macro ref() %}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if relation is not string and relation.include is defined -%}
        {{ return(relation.include(database=false)) }}
    {%- endif -%}
    {{ return(relation) }}
{% endmacro %}
