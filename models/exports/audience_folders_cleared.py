"""Removes the previous build's audience files (c360.exports.clear_audience_folders)
before the export models write this build's; they depend on this model."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.exports import clear_audience_folders

    return clear_audience_folders(dbt.config.get("export_dir"), dbt.config.get("export_models"))
