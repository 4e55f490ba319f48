-- Published, contract-enforced copy of int_web_sessions_aggregated: one row per web or
-- app session (rules there).
{{ published_copy(ref('int_web_sessions_aggregated')) }}
