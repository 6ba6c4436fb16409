"""Tests of solver/split/game/."""
