{#
    Raw table name -> (base model, clean staging model), for the models that
    account for every raw row (quarantine_rows, raw_row_reconciliation).
#}
{% macro raw_table_models() %}
    {{ return({
        'crm_contacts': ('base_crm__contacts', 'stg_crm__contacts'),
        'web_events': ('base_web__events', 'stg_web__events'),
        'orders': ('base_shop__orders', 'stg_shop__orders'),
        'order_items': ('base_shop__order_items', 'stg_shop__order_items'),
        'products': ('base_shop__products', 'stg_shop__products'),
        'email_events': ('base_email__events', 'stg_email__events'),
        'pos_transactions': ('base_pos__transactions', 'stg_pos__transactions'),
        'consent_records': ('base_privacy__consent_records', 'stg_privacy__consent_records'),
        'erasure_requests': ('base_privacy__erasure_requests', 'stg_privacy__erasure_requests'),
        'fx_rates': ('base_fx__rates', 'stg_fx__rates'),
        'experiment_assignments': ('base_experiments__assignments', 'stg_experiments__assignments'),
    }) }}
{% endmacro %}
