"""c360: the Python side of the customer-360 dbt project (data generator, ML, benchmarks)."""

__version__ = "0.1.0"
