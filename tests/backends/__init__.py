"""Tests of solver/backends/."""
