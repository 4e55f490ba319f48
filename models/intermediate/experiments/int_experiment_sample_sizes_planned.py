"""Customers per variant an experiment needs, for each planned baseline rate and
relative lift of the experiments var (c360.experiments.sample_sizes)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.experiments import sample_sizes

    return sample_sizes(dbt.config.get("experiments"))
