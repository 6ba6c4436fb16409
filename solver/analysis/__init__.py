"""Questions asked above `solve`: each answers one thing a region asks of its plan.

`alternatives` (other contract sets near the optimum), `min_contracts` (the fewest contracts that
keep every other rule), `rule_costs` (what each rule costs), `scenario` and `sweep` (a grid of
instance changes, solved in parallel), `compare` (two results side by side) and `split_by_rule`
(the plan split by a rule of the analyst's choice, with stand-alone costs and the core verdict).
Every plan they report is solved and checked through `solver.solve` or the same formulation.
"""
