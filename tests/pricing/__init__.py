"""Tests of solver/pricing/."""
