"""Tests of solver/io/."""
