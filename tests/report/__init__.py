"""Tests of solver/report/."""
