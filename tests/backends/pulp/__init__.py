"""Tests of solver/backends/pulp/."""
