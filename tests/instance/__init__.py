"""Tests of solver/instance/."""
