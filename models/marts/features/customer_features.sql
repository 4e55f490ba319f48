-- Published, contract-enforced copy of int_customer_features_assembled: every
-- behavioural feature per customer as of the as-of date (models/intermediate/features
-- builds them, one concern per model).
{{ published_copy(ref('int_customer_features_assembled')) }}
