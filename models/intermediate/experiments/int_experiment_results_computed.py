"""Per experiment, variant and metric: lift over the control, interval, test, p-value,
minimum detectable effect and the split check (c360.experiments.results)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from c360.experiments import assignment_counts, results
    from c360.runtime import one_at_a_time

    with one_at_a_time():
        participants = dbt.ref("int_experiment_participants_measured").df()
        designs = dbt.ref("experiment_designs").df()
        assignments = dbt.ref("int_experiment_assignments_resolved").df()
        result = results(participants, designs, assignment_counts(assignments), dbt.config.get("experiments"))
    return result
