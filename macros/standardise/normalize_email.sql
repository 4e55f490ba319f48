{#
    Email standardisation, in two steps:
    - normalize_email: trimmed and lowercased; null when the result is not a
      syntactically valid address (one @, a dotted domain with a 2+ letter TLD,
      no spaces, no consecutive dots).
    - email_match_key: the normalised address with what the provider ignores
      removed: for gmail.com and googlemail.com the dots and any +tag of the local
      part are dropped and the domain becomes gmail.com. Other providers keep dots
      and tags (they are significant there).
#}
{% macro normalize_email(column) %}
    case
        when {{ c360.regex_full_match(
            'lower(trim(' ~ column ~ '))',
            "'[a-z0-9!#$%&''*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&''*+/=?^_`{|}~-]+)*@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}'"
        ) }}
            then lower(trim({{ column }}))
    end
{% endmacro %}

{% macro email_match_key(normalized_email) %}
    case
        when split_part({{ normalized_email }}, '@', 2) in ('gmail.com', 'googlemail.com')
            then
                replace(split_part(split_part({{ normalized_email }}, '@', 1), '+', 1), '.', '')
                || '@gmail.com'
        else {{ normalized_email }}
    end
{% endmacro %}
