"""Large models: Lagrangian and LP-guided paths that give HiGHS only what is left to decide.

`facility_path` (pure facility models: Lagrangian bound on the demand rows over the `skeleton`,
`unit_coupling` between units, plans from `lagrangian_plan` or `swap_search`, Lagrangian `fixing`
and `probing`, `set_cover_projection` for flow-free models, and `benders` — branch-and-cut over the
units — where no capacity binds) and `lp_path` (models with more rules:
the `lazy_lp` relaxation, restrictions to the units it prices in, reduced-cost fixing). Both
solve what is left with `flows.solve_model` on a `reduced_model`, and report only bounds they
prove.
"""
