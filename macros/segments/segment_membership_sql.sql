{#
    Compile the segment definitions seed into SQL: one `select customer_id,
    '<segment_id>' as segment_id from <inputs> where ...` per segment, joined with
    union all. Within a segment, conditions with the same condition_group are ANDed
    and the groups are ORed. Operators: = != > >= < <= in not_in (values separated
    by |) between (low|high) is_null is_not_null. Values are quoted as text for text
    columns and must be numbers for numeric ones.
    Fails the build, naming the segment, on an unknown column, an unknown operator,
    a non-numeric value for a numeric column, or a missing value.
    segment_type ('dynamic' or 'static') compiles only the segments of that type.
#}
{% macro segment_membership_sql(definitions_relation, inputs_relation, segment_type=none) %}
    {% set placeholder = "select cast(null as varchar) as customer_id, cast(null as varchar) as segment_id where false" %}
    {#- at parse time, and when linting before the seed and inputs exist, compile to an empty select -#}
    {% if not execute or load_relation(definitions_relation) is none or load_relation(inputs_relation) is none %}
        {{ return(placeholder) }}
    {% endif %}
    {% set columns = {} %}
    {% for column in adapter.get_columns_in_relation(inputs_relation) %}
        {% do columns.update({column.name | lower: column}) %}
    {% endfor %}
    {% set rows = run_query(
        "select segment_id, condition_group, column_name, operator, value from "
        ~ definitions_relation
        ~ (" where segment_type = '" ~ segment_type ~ "'" if segment_type else "")
        ~ " order by segment_id, condition_group, column_name, operator, value"
    ) %}
    {% set segments = {} %}
    {% for row in rows %}
        {% set segment, group, column, operator, value = row[0], row[1], (row[2] or '') | lower, (row[3] or '') | lower, row[4] %}
        {% if column not in columns %}
            {{ exceptions.raise_compiler_error("Segment '" ~ segment ~ "': unknown column '" ~ column ~ "' (not in " ~ inputs_relation.identifier ~ ")") }}
        {% endif %}
        {% set is_number = modules.re.match('(tinyint|smallint|integer|int|bigint|hugeint|ubigint|uinteger|decimal|numeric|double|float|real)', columns[column].dtype | lower) is not none %}
        {% set parts = (value | string).split('|') if value is not none else [] %}
        {% if operator not in ['=', '!=', '>', '>=', '<', '<=', 'in', 'not_in', 'between', 'is_null', 'is_not_null'] %}
            {{ exceptions.raise_compiler_error("Segment '" ~ segment ~ "': unknown operator '" ~ operator ~ "' on " ~ column) }}
        {% endif %}
        {% if operator not in ['is_null', 'is_not_null'] and value is none %}
            {{ exceptions.raise_compiler_error("Segment '" ~ segment ~ "': operator '" ~ operator ~ "' on " ~ column ~ " needs a value") }}
        {% endif %}
        {% if operator == 'between' and parts | length != 2 %}
            {{ exceptions.raise_compiler_error("Segment '" ~ segment ~ "': between on " ~ column ~ " needs low|high") }}
        {% endif %}
        {% set literals = [] %}
        {% for part in parts %}
            {% if is_number %}
                {% if not modules.re.fullmatch('-?[0-9]+(\\.[0-9]+)?', part | trim) %}
                    {{ exceptions.raise_compiler_error("Segment '" ~ segment ~ "': column " ~ column ~ " is numeric but the value '" ~ part ~ "' is not a number") }}
                {% endif %}
                {% do literals.append(part | trim) %}
            {% else %}
                {% do literals.append("'" ~ (part | replace("'", "''")) ~ "'") %}
            {% endif %}
        {% endfor %}
        {% if operator == 'is_null' %}
            {% set condition = column ~ ' is null' %}
        {% elif operator == 'is_not_null' %}
            {% set condition = column ~ ' is not null' %}
        {% elif operator == 'in' %}
            {% set condition = column ~ ' in (' ~ literals | join(', ') ~ ')' %}
        {% elif operator == 'not_in' %}
            {% set condition = column ~ ' not in (' ~ literals | join(', ') ~ ')' %}
        {% elif operator == 'between' %}
            {% set condition = column ~ ' between ' ~ literals[0] ~ ' and ' ~ literals[1] %}
        {% else %}
            {% set condition = column ~ ' ' ~ operator ~ ' ' ~ literals[0] %}
        {% endif %}
        {% do segments.setdefault(segment, {}).setdefault(group, []).append(condition) %}
    {% endfor %}
    {% set selects = [] %}
    {% for segment, groups in segments.items() %}
        {% set ors = [] %}
        {% for group, conditions in groups.items() %}
            {% do ors.append('(' ~ conditions | join(' and ') ~ ')') %}
        {% endfor %}
        {% do selects.append(
            "select customer_id, '" ~ segment ~ "' as segment_id from " ~ inputs_relation
            ~ " where coalesce(" ~ ors | join(' or ') ~ ", false)"
        ) %}
    {% endfor %}
    {{ return(selects | join('\nunion all\n') if selects else placeholder) }}
{% endmacro %}
