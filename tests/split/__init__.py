"""Tests of solver/split/."""
