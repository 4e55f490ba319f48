{#
    The identifier key (as in int_identifiers_resolved) of a record's customer
    reference: `email:<match key>` when the reference is an email address,
    `contact_id:<id>` when it is a CRM contact id, null otherwise. One place for the
    rule every model and test that resolves a customer reference uses.
#}
{% macro customer_ref_identifier_key(ref_type, ref, email_match_key) %}
    case
        when {{ ref_type }} = 'email' then 'email:' || {{ email_match_key }}
        when {{ ref_type }} = 'contact_id' then 'contact_id:' || {{ ref }}
    end
{% endmacro %}
