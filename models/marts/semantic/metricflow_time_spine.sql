-- One row per day, 2000-01-01 to 2039-12-31: the time spine MetricFlow joins metrics
-- to (dbt's portable date_spine macro).
with

days as (
    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", "cast('2040-01-01' as date)") }}
)

select cast(date_day as date) as date_day
from days
