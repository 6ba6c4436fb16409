"""Tests of solver/io/orlib/."""
