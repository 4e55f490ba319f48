{#
    Minutes east of UTC for a zone designator as it appears at the end of an ISO
    8601 timestamp: '' or 'Z' -> 0, '+01:00' -> 60, '-0530' -> -330.
#}
{% macro utc_offset_minutes(zone) %}
    case
        when coalesce({{ zone }}, '') in ('', 'Z') then 0
        else
            (case when left({{ zone }}, 1) = '-' then -1 else 1 end)
            * (
                cast(substr(replace({{ zone }}, ':', ''), 2, 2) as integer) * 60
                + cast(substr(replace({{ zone }}, ':', ''), 4, 2) as integer)
            )
    end
{% endmacro %}
