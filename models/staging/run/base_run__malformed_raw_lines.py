"""Every raw CSV line the file reader could not make a row of
(c360.rawfiles.malformed_lines): the sources skip such lines, this model keeps them
for quarantine_rows and raw_row_reconciliation."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.rawfiles import malformed_lines

    # the raw tables this model reads (the dbt.source calls also draw its lineage)
    raw_tables = {
        "crm_contacts": dbt.source("crm", "crm_contacts"),
        "web_events": dbt.source("web", "web_events"),
        "orders": dbt.source("shop", "orders"),
        "order_items": dbt.source("shop", "order_items"),
        "products": dbt.source("shop", "products"),
        "email_events": dbt.source("email", "email_events"),
        "pos_transactions": dbt.source("pos", "pos_transactions"),
        "consent_records": dbt.source("privacy", "consent_records"),
        "erasure_requests": dbt.source("privacy", "erasure_requests"),
    }
    # optional raw tables: no dbt.source() call, which would read a file that may not exist
    optional_tables = ["fx_rates", "experiment_assignments"]
    return malformed_lines(
        session,
        dbt.config.get("raw_dir"),
        sorted([*raw_tables, *optional_tables]),
        dbt.config.get("raw_format"),
    )
