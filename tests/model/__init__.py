"""Tests of solver/model/."""
