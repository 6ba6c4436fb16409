"""SPEC §6: cheap proofs of infeasibility, run before any model is built, said in plain words.

Each proof is a necessary condition of feasibility that is quick to test; when one fails, the
instance is infeasible and the sentence names the municipalities, care types, lots, providers or
policy limits that clash. Passing every proof does not make an instance feasible.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from solver.i18n.messages import E_
from solver.infeasibility.continuity_proofs import continuity_proofs
from solver.model.data import ModelData


def infeasibility_proofs(data: ModelData) -> list[str]:
    """Every cheap proof that fails, as sentences; empty when none does."""
    found = _demand_vs_capacity(data) + _coverage_vs_providers(data) + _budgets(data)
    found += continuity_proofs(data)
    if not found:
        # the LP bound needs every cell coverable; only worth computing then
        found = _contracts_needed(data)
    return found


def _euro(amount: float) -> str:
    return f"€{amount:,.2f}"


def _reach(data: ModelData) -> np.ndarray:
    """(O, M): offer o's provider serves municipality m."""
    return data.serves[data.offer_provider, :]


def _demand_vs_capacity(data: ModelData) -> list[str]:
    """Demand of each (m, c) and of each c against the capacity that can reach it."""
    found = []
    reach = _reach(data)
    n_c = len(data.care_type_ids)
    reachable = np.zeros(data.demand.shape, dtype=np.int64)  # (M, C)
    for c in range(n_c):
        offers = data.offer_care == c
        reachable[:, c] = data.offer_capacity[offers] @ reach[offers, :]
    short = np.argwhere(data.demand > reachable)
    for m, c in short:
        found.append(
            E_(
                "demand for {care} in {municipality} is {clients} clients; the providers that can "
                "serve it have capacity {capacity} together"
            ).format(
                care=data.care_type_ids[c],
                municipality=data.municipality_ids[m],
                clients=data.demand[m, c],
                capacity=reachable[m, c],
            )
        )
    for c in range(n_c):
        total = int(data.demand[:, c].sum())
        capacity = int(data.offer_capacity[data.offer_care == c].sum())
        if total > capacity and not any(cc == c for _, cc in short):
            found.append(
                E_(
                    "demand for {care} in the region is {clients} clients; all offers of it have "
                    "capacity {capacity} together"
                ).format(care=data.care_type_ids[c], clients=total, capacity=capacity)
            )
    return found


def _coverage_vs_providers(data: ModelData) -> list[str]:
    """Each cell needing k contracted units against the providers that can serve it.

    Contracted units are disjoint, so each needs its own provider that offers c and serves m.
    """
    found = []
    reach = _reach(data)
    level = data.coverage_level
    for m, c in np.argwhere(level > 0):
        lot = data.instance.lots[int(data.care_lot[c])]
        k = int(level[m, c])
        able = np.flatnonzero((data.offer_care == c) & reach[:, m])
        if len(able) < k:
            names = ", ".join(data.unit_ids[int(data.offer_provider[o])] for o in able) or "—"
            why = (
                E_("lot {lot} min_providers {k}").format(lot=lot.id, k=lot.min_providers)
                if k == lot.min_providers
                else E_("policy.n_minus_1: a second unit if one fails")
            )
            found.append(
                E_(
                    "{care} in {municipality} needs {k} contracted providers ({why}); only {n} can "
                    "serve it: {names}"
                ).format(
                    care=data.care_type_ids[c],
                    municipality=data.municipality_ids[m],
                    k=k,
                    why=why,
                    n=len(able),
                    names=names,
                )
            )
    return found


def _cheapest_care(data: ModelData) -> np.ndarray:
    """(M, C): the cheapest price + access cost per client of each cell, ignoring capacity."""
    reach = _reach(data)
    per_client = data.offer_price[:, None] + data.access[data.offer_provider, :]
    per_client = np.where(reach, per_client, np.inf)
    cheapest = np.full(data.demand.shape, np.inf)
    for c in range(len(data.care_type_ids)):
        offers = data.offer_care == c
        if offers.any():
            cheapest[:, c] = per_client[offers, :].min(axis=0)
    return cheapest


def _budgets(data: ModelData) -> list[str]:
    """Cheapest possible care against caps, task budgets and population budgets (SPEC §2.7)."""
    found = []
    cheapest = _cheapest_care(data)
    with np.errstate(invalid="ignore"):
        cell_cost = np.where(data.demand > 0, data.demand * cheapest, 0.0)
    for li, lot in enumerate(data.instance.lots):
        in_lot = data.care_lot == li
        clients = int(data.demand[:, in_lot].sum())
        care = float(cell_cost[:, in_lot].sum())
        if not math.isfinite(care):
            continue  # a cell nobody can serve: the capacity proof already says so
        cap = lot.budget_cap
        if lot.funding in ("fee_for_service", "lump_sum") and cap is not None:
            factor = 1.0 + lot.margin if lot.funding == "lump_sum" else 1.0
            if care * factor > cap * (1 + 1e-9):
                form = (
                    E_(
                        "lot {lot}: the cheapest possible care for its {clients} clients costs "
                        "{cost} with its {margin} risk margin; its budget_cap is {cap}"
                    )
                    if (factor != 1.0)
                    else E_(
                        "lot {lot}: the cheapest possible care for its {clients} "
                        "clients costs {cost}; its budget_cap is {cap}"
                    )
                )
                found.append(
                    form.format(
                        lot=lot.id,
                        clients=clients,
                        cost=_euro(care * factor),
                        margin=f"{lot.margin:.0%}",
                        cap=_euro(cap),
                    )
                )
        elif lot.funding == "task_based" and lot.task_budget is not None:
            if care > lot.task_budget * (1 + 1e-9):
                found.append(
                    E_(
                        "lot {lot}: the cheapest possible care for its {clients} clients costs "
                        "{cost}; its task_budget is {budget}"
                    ).format(
                        lot=lot.id, clients=clients, cost=_euro(care), budget=_euro(lot.task_budget)
                    )
                )
            if cap is not None and clients > 0 and lot.task_budget > cap * (1 + 1e-9):
                found.append(
                    E_(
                        "lot {lot} pays out its whole task_budget {budget}; its budget_cap is {cap}"
                    ).format(lot=lot.id, budget=_euro(lot.task_budget), cap=_euro(cap))
                )
        elif lot.funding == "population_based" and lot.population_rate is not None:
            found += _population_budget(data, li, cell_cost)
    return found


def _population_budget(data: ModelData, li: int, cell_cost: np.ndarray) -> list[str]:
    lot = data.instance.lots[li]
    rate = float(lot.population_rate or 0.0)
    in_lot = data.care_lot == li
    found = []
    for m, name in enumerate(data.municipality_ids):
        need = float(cell_cost[m, in_lot].sum())
        budget = rate * float(data.population[m])
        if need > budget * (1 + 1e-9) + 1e-9:
            found.append(
                E_(
                    "lot {lot} in {municipality}: the cheapest possible care costs {cost}; the "
                    "population budget is {budget} ({rate} × {youth} youth)"
                ).format(
                    lot=lot.id,
                    municipality=name,
                    cost=_euro(need),
                    budget=_euro(budget),
                    rate=_euro(rate),
                    youth=data.population[m],
                )
            )
    payout = rate * float(data.population.sum())
    if lot.budget_cap is not None and in_lot.any() and payout > lot.budget_cap * (1 + 1e-9):
        found.append(
            E_(
                "lot {lot} pays {rate} per youth inhabitant, {payout} in all; its budget_cap is "
                "{cap}"
            ).format(lot=lot.id, rate=_euro(rate), payout=_euro(payout), cap=_euro(lot.budget_cap))
        )
    return found


def _contracts_needed(data: ModelData) -> list[str]:
    """LP lower bound on contracts needed for coverage and capacity, vs the contract limits."""
    policy = data.instance.policy
    limits = [(None, policy.max_contracts)] + [
        (li, lot.max_contracts) for li, lot in enumerate(data.instance.lots)
    ]
    found = []
    for li, limit in limits:
        if limit is None:
            continue
        need = _lp_contracts(data, li)
        if need is not None and need > limit:
            if li is None:
                found.append(
                    E_(
                        "covering every municipality and care type needs at least {need} "
                        "contracts; max_contracts is {limit}"
                    ).format(need=need, limit=limit)
                )
            else:
                lot = data.instance.lots[li]
                found.append(
                    E_(
                        "lot {lot}: covering its municipalities and care types needs at least "
                        "{need} contracted units; its max_contracts is {limit}"
                    ).format(lot=lot.id, need=need, limit=limit)
                )
    return found


def _lp_contracts(data: ModelData, lot: int | None) -> int | None:
    """Round up min Σ_u z_u over y ≤ z, coverage ≥ k and reachable capacity ≥ demand (LP)."""
    opts = np.arange(len(data.option_unit))
    if lot is not None:
        opts = opts[data.care_lot[data.option_care] == lot]
    if len(opts) == 0:
        return None
    units, unit_of = np.unique(data.option_unit[opts], return_inverse=True)
    n_y, n_z = len(opts), len(units)
    rows, cols, vals, rhs = [], [], [], []
    r = 0
    # y_j − z_u ≤ 0
    for j in range(n_y):
        rows += [r, r]
        cols += [j, n_y + int(unit_of[j])]
        vals += [1.0, -1.0]
        rhs.append(0.0)
        r += 1
    level = data.coverage_level
    cap_in = _option_capacity(data, opts)  # (n_y, M)
    for m, c in np.argwhere(level > 0):
        if lot is not None and data.care_lot[c] != lot:
            continue
        k = int(level[m, c])
        js = np.flatnonzero((data.option_care[opts] == c) & data.option_covers[opts, m])
        rows += [r] * len(js)
        cols += js.tolist()
        vals += [-1.0] * len(js)
        rhs.append(-float(k))
        r += 1
        d = int(data.demand[m, c])
        if d > 0:
            rows += [r] * len(js)
            cols += js.tolist()
            vals += (-np.minimum(cap_in[js, m], d)).astype(float).tolist()
            rhs.append(-float(d))
            r += 1
    a = sp.csr_matrix((vals, (rows, cols)), shape=(r, n_y + n_z))
    cost = np.concatenate([np.zeros(n_y), np.ones(n_z)])
    res = linprog(cost, A_ub=a, b_ub=np.array(rhs), bounds=(0, 1), method="highs")
    if res.status != 0:
        return None  # infeasible LP: the capacity and coverage proofs speak for it
    return math.ceil(res.fun - 1e-6)


def _option_capacity(data: ModelData, opts: np.ndarray) -> np.ndarray:
    """(len(opts), M): capacity of the unit's members offering c that serve m."""
    cap = np.zeros((len(opts), len(data.municipality_ids)))
    pos = {int(j): i for i, j in enumerate(opts)}
    for mo, j in enumerate(data.member_option):
        i = pos.get(int(j))
        if i is None:
            continue
        o = data.member_offer[mo]
        cap[i] += data.offer_capacity[o] * data.serves[data.offer_provider[o]]
    return cap
