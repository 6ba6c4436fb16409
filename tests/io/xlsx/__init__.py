"""Tests of solver/io/xlsx/."""
