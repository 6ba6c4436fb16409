"""Tests of solver/cli/."""
