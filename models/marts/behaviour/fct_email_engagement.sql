-- Published, contract-enforced copy of int_email_events_identified: one row per email
-- engagement event with its customer.
{{ published_copy(ref('int_email_events_identified')) }}
