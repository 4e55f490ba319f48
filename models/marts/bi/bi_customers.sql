-- Customers for BI, without personal data: no names, contact details, address
-- below country, birth date (an age band instead) or raw identifiers.
with

customers as (
    select * from {{ ref('dim_customers') }}
),

aged as (
    select
        customer_id,
        country_code,
        contact_records,
        is_known_without_crm_record,
        has_shared_identifier,
        first_seen_at,
        {{ dbt.datediff('date_of_birth', as_of_date(ref('base_run__as_of_date')), 'year') }}
            as age_years
    from customers
),

final as (
    select
        customer_id,
        country_code,
        case
            when age_years is null then 'unknown'
            when age_years < 25 then 'under 25'
            when age_years < 35 then '25-34'
            when age_years < 45 then '35-44'
            when age_years < 55 then '45-54'
            when age_years < 65 then '55-64'
            else '65+'
        end as age_band,
        contact_records,
        is_known_without_crm_record,
        has_shared_identifier,
        first_seen_at
    from aged
)

select * from final
