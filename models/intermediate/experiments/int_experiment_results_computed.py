"""Per experiment, variant and metric: lift over the control, interval, test, p-value,
minimum detectable effect and the split check (c360.experiments.results)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.experiments import assignment_counts, results

    participants = dbt.ref("int_experiment_participants_measured").df()
    designs = dbt.ref("experiment_designs").df()
    assignments = dbt.ref("int_experiment_assignments_resolved").df()
    return results(participants, designs, assignment_counts(assignments), dbt.config.get("experiments"))
