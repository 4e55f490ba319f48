-- Preview a segment before using it: size and share, the feature profile of its
-- members against the whole population, its overlap with every other segment, and
-- a sample of members. Pick the segment with a var, compile, and run the SQL:
--   dbt compile --select preview_segment --vars '{preview_segment_id: lapsed}'
--   then run target/compiled/c360/analyses/preview_segment.sql in DuckDB.
-- One result set: section says which part a row belongs to, detail what its numbers
-- mean (for sample rows, segment_value is the member's monetary value).
{% set segment_id = var('preview_segment_id', 'active_buyers') %}
{% set profile_columns = [
    'orders_count', 'monetary_value', 'recency_days', 'sessions_90d', 'email_open_rate', 'engagement_score',
] %}
with

customer_segments as (
    select * from {{ ref('customer_segments') }}
),

inputs as (
    select * from {{ ref('int_segment_inputs_joined') }}
),

members as (
    select inputs.*
    from inputs
    inner join customer_segments
        on
            inputs.customer_id = customer_segments.customer_id
            and customer_segments.segment_id = '{{ segment_id }}'
),

segment_size as (
    select
        'size' as section,
        'members' as item,
        cast(count(*) as double) as segment_value,
        cast((select count(*) from inputs) as double) as population_value,
        count(*) * 1.0 / nullif((select count(*) from inputs), 0) as ratio,
        'members / all customers' as detail
    from members
),

profile as (
    {% for column in profile_columns %}
        select
            'profile' as section,
            'mean {{ column }}' as item,
            (select avg({{ column }}) from members) as segment_value,
            (select avg({{ column }}) from inputs) as population_value,
            (select avg({{ column }}) from members) / nullif((select avg({{ column }}) from inputs), 0) as ratio,
            'segment mean / population mean' as detail
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

segment_sizes as (
    select
        segment_id,
        count(*) as segment_members
    from customer_segments
    group by 1
),

shared as (
    select
        other_segments.segment_id,
        count(*) as shared_members
    from members
    inner join customer_segments as other_segments
        on members.customer_id = other_segments.customer_id and other_segments.segment_id <> '{{ segment_id }}'
    group by 1
),

overlap as (
    select
        'overlap' as section,
        shared.segment_id as item,
        cast(shared.shared_members as double) as segment_value,
        cast(segment_sizes.segment_members as double) as population_value,
        shared.shared_members * 1.0 / nullif((select count(*) from members), 0) as ratio,
        'shared members / this segment''s members; population_value: the other segment''s size' as detail
    from shared
    inner join segment_sizes on shared.segment_id = segment_sizes.segment_id
),

sample_members as (
    select
        'sample' as section,
        customer_id as item,
        cast(monetary_value as double) as segment_value,
        cast(null as double) as population_value,
        cast(null as double) as ratio,
        concat_ws(
            ', ',
            'orders ' || cast(orders_count as varchar),
            'recency ' || cast(recency_days as varchar) || ' days',
            'rfm ' || rfm_segment,
            'persona ' || persona
        ) as detail
    from members
    order by 2
    limit 10
),

preview as (
    select * from segment_size
    union all
    select * from profile
    union all
    select * from overlap
    union all
    select * from sample_members
)

select * from preview
