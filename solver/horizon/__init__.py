"""SPEC §8: a tender over several years — periods, terms, extensions, growing demand.

`periods` turns a horizon into one instance per period (its own figures); `model` stacks their
models into one MILP with the links between periods (contracts fixed within a term, a later
term's a subset of the earlier one's, clients of ended contracts moving at a term's start);
`solve` solves it on any backend and builds the result with one entry per period.
"""
