"""Tooling around the c360 dbt project, apart from what the models run (package c360):
the sample and benchmark data generator (datagen), benchmarks, the test-data
assembler (testdata), reference seeds from maintained libraries (reference), charts
(plots, dashboard) and the warehouse comparison (compare)."""
