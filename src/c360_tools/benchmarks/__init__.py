"""Quality benchmarks of the built warehouse against the generator's ground truth."""
