"""Tests of solver/backends/highs/decomposition/."""
