"""The baselines a benchmark is measured against, on the same instance.

- `pulp_baseline`: what an analyst would write from SPEC.md in an afternoon — PuLP variables
  in dicts keyed by tuples, one `lpSum` loop per rule, solved by the CBC bundled with PuLP. It is
  written straight from the `Instance`, sharing nothing with `solver.model.formulation`, so it also
  cross-checks our objective.
- `scipy_baseline`: `scipy.optimize.milp` (the HiGHS bundled with SciPy, every variable integer,
  default settings) on the very arrays our formulation builds.
- `before_frontier`: dekkend's own HiGHS backend as it was before issue 21's strategies
  (the Benders branch-and-cut of `solver.backends.highs.decomposition.benders` switched off), so
  each strategy's gain is a ratio measured in the same run.

The first two return a `Baseline`: status, objective, seconds (model build + solve).
"""

from __future__ import annotations

import contextlib
import math
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from unittest import mock

import numpy as np
import pulp
from scipy.optimize import Bounds, LinearConstraint, milp

from solver.backends.highs.decomposition import benders
from solver.instance import Instance
from solver.model.data import build_data
from solver.model.formulation import build_model


@contextlib.contextmanager
def before_frontier() -> Iterator[None]:
    """Within: the HiGHS backend without issue 21's strategies (as measured before them)."""
    with mock.patch.object(benders, "applies", lambda *_: False):
        yield


@dataclass(frozen=True)
class Baseline:
    """A baseline's answer: `optimal`, `feasible`, `infeasible` or `no_solution`."""

    name: str
    status: str
    objective: float | None
    seconds: float


def pulp_baseline(inst: Instance, *, time_limit_s: float, gap: float) -> Baseline:
    """Build the plain PuLP model of `inst` and solve it with CBC."""
    started = time.perf_counter()
    prob = _pulp_model(inst)
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, gapRel=gap, threads=1)
    prob.solve(solver)
    seconds = time.perf_counter() - started
    # PuLP says "Optimal" after a time limit too: read the solution status and the clock
    if prob.sol_status == pulp.LpSolutionInfeasible or prob.status == pulp.LpStatusInfeasible:
        return Baseline("pulp-cbc", "infeasible", None, seconds)
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        return Baseline("pulp-cbc", "no_solution", None, seconds)
    proven = prob.sol_status == pulp.LpSolutionOptimal and seconds < 0.95 * time_limit_s
    objective = float(pulp.value(prob.objective) or 0.0)
    return Baseline("pulp-cbc", "optimal" if proven else "feasible", objective, seconds)


def scipy_baseline(inst: Instance, *, time_limit_s: float, gap: float) -> Baseline:
    """Our arrays, every variable integer, solved by `scipy.optimize.milp`."""
    started = time.perf_counter()
    model = build_model(build_data(inst))
    res = milp(
        model.cost,
        constraints=LinearConstraint(model.matrix, model.row_lo, model.row_hi),
        integrality=np.ones(model.n_cols),
        bounds=Bounds(model.col_lo, model.col_hi),
        options={"time_limit": time_limit_s, "mip_rel_gap": gap},
    )
    seconds = time.perf_counter() - started
    if res.status == 2:
        return Baseline("scipy-milp", "infeasible", None, seconds)
    if res.x is None:
        return Baseline("scipy-milp", "no_solution", None, seconds)
    status = "optimal" if res.status == 0 else "feasible"
    return Baseline("scipy-milp", status, float(res.fun), seconds)


def _pulp_model(inst: Instance) -> pulp.LpProblem:  # noqa: C901 - one loop per rule, on purpose
    """SPEC §2–§3 as an analyst writes it: dicts of LpVariables, a loop per rule."""
    prob = pulp.LpProblem(inst.name.replace(" ", "_") or "region", pulp.LpMinimize)
    lot_of = {c.id: c.lot for c in inst.care_types}
    lots = {lot.id: lot for lot in inst.lots}
    demand = {(d.municipality, d.care_type): d.clients for d in inst.demand if d.clients > 0}
    all_muns = [m.id for m in inst.municipalities]
    population = {m.id: m.youth_population for m in inst.municipalities}
    providers = {p.id: p for p in inst.providers}
    serves = {p.id: set(p.municipalities if p.municipalities is not None else all_muns)
              for p in inst.providers}  # fmt: skip
    offer = {(p.id, o.care_type): o for p in inst.providers for o in p.offers}
    units = {p.id: [p.id] for p in inst.providers}
    units.update({k.id: list(k.members) for k in inst.consortia})
    unit_cost = {p.id: p.contract_cost for p in inst.providers}
    unit_cost.update({k.id: k.contract_cost for k in inst.consortia})

    def per_client(p: str, m: str, c: str) -> float:
        return offer[p, c].price + providers[p].access_cost.get(m, 0.0)

    z = {u: pulp.LpVariable(f"z_{u}", cat="Binary") for u in units}
    y = {(u, c): pulp.LpVariable(f"y_{u}_{c}", cat="Binary")
         for u, mem in units.items() for c in {c for (p, c) in offer if p in mem}}  # fmt: skip
    x = {}
    for u, mem in units.items():
        for p in mem:
            for (m, c), d in demand.items():
                if (p, c) in offer and m in serves[p]:
                    x[u, p, m, c] = pulp.LpVariable(
                        f"x_{u}_{p}_{m}_{c}", 0, min(offer[p, c].capacity, d), cat="Integer"
                    )
    moved = {}
    for p in inst.providers:
        for rec in p.incumbent:
            if rec.clients > 0 and inst.policy.transfer_cost > 0:
                moved[p.id, rec.municipality, rec.care_type] = (
                    pulp.LpVariable(f"moved_{p.id}_{rec.municipality}_{rec.care_type}", 0),
                    rec.clients,
                )

    qw = inst.policy.quality_weight
    prob += (
        pulp.lpSum(unit_cost[u] * z[u] for u in units)
        + pulp.lpSum(v * (per_client(p, m, c) - qw * offer[p, c].quality)
                     for (u, p, m, c), v in x.items())
        + pulp.lpSum(inst.policy.transfer_cost * var for var, _ in moved.values())
    )  # fmt: skip

    by_cell, by_member, by_unit_lot = defaultdict(list), defaultdict(list), defaultdict(list)
    by_unit_mun_lot = defaultdict(list)
    for (u, p, m, c), v in x.items():
        by_cell[m, c].append(v)
        by_member[u, p, c].append(v)
        by_unit_lot[u, lot_of[c]].append(v)
        by_unit_mun_lot[u, m, lot_of[c]].append((v, demand[m, c]))
    for cell, d in demand.items():  # §2.3 demand met exactly
        prob += pulp.lpSum(by_cell[cell]) == d
    for (u, p, c), vs in by_member.items():  # §2.4 capacity and min_clients
        prob += pulp.lpSum(vs) <= offer[p, c].capacity * y[u, c]
        if offer[p, c].min_clients > 0:
            prob += pulp.lpSum(vs) >= offer[p, c].min_clients * y[u, c]
    for (u, _c), var in y.items():
        prob += var <= z[u]
    for p in providers:  # §2.1 one contracted unit per provider
        prob += pulp.lpSum(z[u] for u, mem in units.items() if p in mem) <= 1
    for c in inst.care_types:  # §2.5 coverage
        lot = lots[c.lot]
        for m in all_muns:
            if (m, c.id) in demand or lot.funding == "population_based":
                able = [y[u, c.id] for u, mem in units.items() if (u, c.id) in y
                        and any((p, c.id) in offer and m in serves[p] for p in mem)]  # fmt: skip
                prob += pulp.lpSum(able) >= lot.min_providers
    if inst.policy.max_contracts is not None:  # §2.6 limits
        prob += pulp.lpSum(z.values()) <= inst.policy.max_contracts
    for lot in inst.lots:
        clients = sum(d for (m, c), d in demand.items() if lot_of[c] == lot.id)
        if lot.max_contracts is not None:
            w = {u: pulp.LpVariable(f"w_{u}_{lot.id}", cat="Binary") for u in units}
            for (u, c), var in y.items():
                if lot_of[c] == lot.id:
                    prob += var <= w[u]
            prob += pulp.lpSum(w.values()) <= lot.max_contracts
        if lot.max_share is not None:
            for u in units:
                if by_unit_lot[u, lot.id]:
                    limit = math.floor(lot.max_share * clients + 1e-9)
                    prob += pulp.lpSum(by_unit_lot[u, lot.id]) <= limit
        if lot.max_units_per_municipality is not None:
            for m in all_muns:
                vs = []
                for u in units:
                    pairs = by_unit_mun_lot.get((u, m, lot.id))
                    if pairs:
                        v = pulp.LpVariable(f"v_{u}_{m}_{lot.id}", cat="Binary")
                        for var, d in pairs:
                            prob += var <= d * v
                        vs.append(v)
                if vs:
                    prob += pulp.lpSum(vs) <= lot.max_units_per_municipality
        care = [(v, per_client(p, m, c), m) for (u, p, m, c), v in x.items()
                if lot_of[c] == lot.id]  # fmt: skip
        if lot.funding in ("fee_for_service", "lump_sum") and lot.budget_cap is not None:
            factor = 1 + lot.margin if lot.funding == "lump_sum" else 1.0
            prob += pulp.lpSum(v * k * factor for v, k, _ in care) <= lot.budget_cap
        if lot.funding == "task_based" and lot.task_budget is not None:
            prob += pulp.lpSum(v * k for v, k, _ in care) <= lot.task_budget
        if lot.funding == "population_based" and lot.population_rate is not None:
            for m in all_muns:
                terms = [v * k for v, k, mm in care if mm == m]
                if terms:
                    prob += pulp.lpSum(terms) <= lot.population_rate * population[m]
    for (p, m, c), (var, clients) in moved.items():  # §3 moved clients
        served = [v for (u, pp, mm, cc), v in x.items() if (pp, mm, cc) == (p, m, c)]
        prob += var + pulp.lpSum(served) >= clients
    return prob
