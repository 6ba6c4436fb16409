"""Tests of solver/backends/highs/."""
