with

contacts as (
    select * from {{ ref('base_crm__contacts') }}
    where not is_exact_duplicate and not is_quarantined
)

select
    contact_id,
    email,
    email_match_key,
    email_original,
    first_name,
    first_name_key,
    last_name,
    last_name_key,
    phone_e164,
    phone_extension,
    phone_original,
    street_address,
    city,
    postcode,
    postcode_key,
    country_code,
    loyalty_id,
    quality_flags,
    date_of_birth,
    created_at,
    updated_at
from contacts
