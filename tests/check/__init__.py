"""Tests of solver/check/."""
