-- Each clean experiment assignment with the customer it names: by contact id or email
-- when it gives one, else by the visitor's anonymous id (a visitor assigned before
-- logging in belongs to the customer the login later identified). Null when it names
-- nobody the project knows (a visitor who never logged in, an unknown contact).
with

assignments as (
    select * from {{ ref('stg_experiments__assignments') }}
),

identifiers as (
    select
        identifier_key,
        customer_id
    from {{ ref('int_identifiers_resolved') }}
),

keyed as (
    select
        assignment_id,
        experiment_id,
        variant,
        assigned_at,
        {{ customer_ref_identifier_key('customer_ref_type', 'customer_ref', 'customer_email_match_key') }}
            as customer_identifier_key,
        'anonymous_id:' || anonymous_id as visitor_identifier_key
    from assignments
),

final as (
    select
        keyed.assignment_id,
        keyed.experiment_id,
        keyed.variant,
        keyed.assigned_at,
        coalesce(by_customer.customer_id, by_visitor.customer_id) as customer_id,
        case
            when by_customer.customer_id is not null then 'customer_ref'
            when by_visitor.customer_id is not null then 'anonymous_id'
        end as resolved_by
    from keyed
    left join identifiers as by_customer on keyed.customer_identifier_key = by_customer.identifier_key
    left join identifiers as by_visitor on keyed.visitor_identifier_key = by_visitor.identifier_key
)

select * from final
