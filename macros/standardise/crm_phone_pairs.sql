{#
    The distinct (raw phone, mapped country) pairs the raw CRM contact rows carry: what
    base_crm__phone_numbers_parsed parses and what its post-hook keeps, written once so
    the two cannot drift apart (the table equals a full refresh only while they agree).
#}
{% macro crm_phone_pairs() %}
    select distinct
        phone as phone_raw,
        {{ map_to_vocabulary('country', 'vocab_countries') }} as country_code
    from {{ source('crm', 'crm_contacts') }}
    where phone is not null
{% endmacro %}
