"""Tests of solver/analysis/."""
