"""The HiGHS backend: `backend.solve_highs` chooses a strategy, every strategy ends in one run.

`run` creates and configures every HiGHS object (status map, deadline, LP duals); `parameters`
holds every tuning block; `flows` solves with client flows relaxed first, then made whole;
`guided_start` gives regions a first plan from the LP's support; `reduced_costs` bounds from LP
duals and fixes columns against a plan; `decomposition/` solves the models too large for HiGHS
alone.
"""
