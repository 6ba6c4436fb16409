"""SPEC §6: why an instance has no plan, in words a region can act on.

`precheck` proves infeasibility cheaply before any model is built; `explain` finds a minimal set of
clashing rules (`rule_groups`: the rules as a user states them, tied to their rows) and the least
relaxation of each, when the solver proves infeasible what the pre-checks let through.
"""
