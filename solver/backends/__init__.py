"""Backends: each turns a `MatrixModel` into a `BackendOutcome`; looked up by name (`registry`).

`highs/` (default, HiGHS through highspy with its strategies), `cpsat` (OR-Tools CP-SAT, money in
integer cents) and `pulp/` (CBC or any solver PuLP knows, under a watchdog). Every backend maps
every native status of its solver explicitly; an unknown one raises (a bug that names itself).
No solver object leaves its module; `outcome` holds the one test of a proven gap.
"""
