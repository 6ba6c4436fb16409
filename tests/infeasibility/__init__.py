"""Tests of solver/infeasibility/."""
