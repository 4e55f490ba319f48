"""Expected purchase days and spend per customer over the lifetime value horizon
(c360.lifetime_value.score)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.lifetime_value import score

    # only the scoring cutoff's rows are loaded (filtered in DuckDB); the model sorts them by customer
    btyd = dbt.ref("int_customer_btyd_at_cutoffs").filter("is_scoring_cutoff").df()
    return score(btyd, dbt.config.get("predictions"))
