"""Every HiGHS option dekkend sets, each with the measurement behind it, in one place.

`run.new_highs` sets the common ones (log, threads, deadline) and `run.run_model` the MIP ones
below (`MIP_REL_GAP` comes from the caller's `SolveOptions.gap`); the blocks are laid on top by
the strategy that measured them: `BASE` on every MIP run, `GUIDED` on the final run of the
LP-guided start, `RESTRICTION` on the LP path's restrictions, `GAME` on coalition solves, and
`HUGE` on models of more than `HUGE_MODEL` columns.
"""

from __future__ import annotations

HighsValue = bool | int | float | str  # the value of one HiGHS option
Tuning = dict[str, HighsValue]

# Tighter than HiGHS's default 1e-6: the plans are re-checked as exact integers afterwards.
MIP_FEASIBILITY_TOLERANCE = 1e-7

# Measured on the bundled regions and the scale ladder: the root reduced-cost heuristic and the
# feasibility jump cost more than they find once the flows are continuous (Achterhoek 1.05 s →
# 0.5 s, 1,000 × 40 12 s → 9 s); RINS at the root then finds the plans. RENS, too, costs more than
# it finds here: six regions (bundled + conformance c05/c10/c11) 2.93 s → 2.29 s in all,
# Groningen 1.09 → 0.59 s, Achterhoek 0.71 → 0.57 s; 1,000 × 40 unchanged (11.1 vs 11.7 s).
BASE: Tuning = {
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rens": False,
}

# Above this many columns feasibility jump is switched back on. Measured: p-median pmed26 (361k
# columns) gave no plan in 60 s without it and a plan with it (13,936; optimum 9,917); the tuned
# cases above (5,000 x 342 is 150k columns) stay below the line. The root LP of such a model can
# take the whole time limit; feasibility jump runs before it and is then the only source of a plan.
HUGE_MODEL = 200_000
HUGE: Tuning = {"mip_heuristic_run_feasibility_jump": True}

# The final run of the guided start (`guided_start`): it starts from a plan, so restarts and RINS
# re-run presolve and search for plans the start already gives.
GUIDED: Tuning = {"mip_allow_restart": False, "mip_heuristic_run_rins": False}

# The LP path's restrictions (`decomposition.lp_path`): the first plan of a national restriction
# comes from HiGHS's heuristics. 20,000 × 342 whose lazy LP stopped after 26 rounds (when it stopped
# on time alone) got no plan in its 300 s without these, and one at 1.4 % after 163 s with them;
# after 25 rounds the first plan came at 144 s instead of 176 s, ending at 1.41 % instead of 1.40 %.
RESTRICTION: Tuning = {"mip_heuristic_effort": 0.3, "mip_heuristic_run_rens": True}

# Coalition solves (`solver.split.game`). Restarts after root reduced-cost fixing re-run presolve
# and cut separation on what are small models; without them, 60 random coalitions (on the model
# without disaggregated bounds) took Groningen 19.4 → 16.3 s, Achterhoek 14.4 → 12.6 s, Eemland
# 17.5 → 14.5 s. The single solve keeps them: Groningen slows down there.
GAME: Tuning = {"mip_allow_restart": False}
