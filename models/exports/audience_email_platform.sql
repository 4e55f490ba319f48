{{
    config(
        materialized='external',
        format='csv',
        options={'partition_by': 'segment_id', 'overwrite': true, 'header': true},
    )
}}
-- depends_on: {{ ref('audience_folders_cleared') }}
-- Audience file for the email platform: one CSV per segment routed to it
-- (audience_exports seed), customers with email consent only, and only what the
-- platform needs to send: customer id, email and first name.
with

routes as (
    select * from {{ ref('audience_exports') }}
    where destination = 'email_platform'
),

customer_segments as (
    select * from {{ ref('customer_segments') }}
),

consents as (
    select * from {{ ref('customer_consents') }}
    where consent_purpose = 'email' and is_consented
),

customers as (
    select * from {{ ref('dim_customers') }}
),

personal_emails as (
    -- an email several customers hold (a placeholder, a shared household inbox) is never exported
    select email
    from customers
    where email is not null
    group by 1
    having count(*) = 1
),

final as (
    select
        customer_segments.customer_id,
        customers.email,
        customers.first_name,
        customer_segments.segment_id
    from customer_segments
    inner join routes on customer_segments.segment_id = routes.segment_id
    inner join consents on customer_segments.customer_id = consents.customer_id
    inner join customers on customer_segments.customer_id = customers.customer_id
    inner join personal_emails on customers.email = personal_emails.email
)

select * from final
