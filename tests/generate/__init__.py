"""Tests of solver/generate/."""
