"""SPEC §4: what each contracted unit is paid per lot, and each lot's payout.

One `Budget` per (contracted unit, lot it holds care types of), even when the amount is 0, in
DECISIONS 2 order (units in instance order, then lots in `lots[]` order). The four funding models:
- fee_for_service: care(u, l);
- lump_sum: care(u, l) × (1 + risk_margin);
- task_based: task_budget pro rata care cost (DECISIONS 3: pro rata clients when the lot's care
  cost is 0, nothing when the lot has no clients);
- population_based: Σ_m rate × pop(m) × u's share of the lot's clients in m; a municipality
  without clients of the lot is split equally over the contracted units that can serve it
  (DECISIONS 4).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from solver.instance import Instance
from solver.pricing.tally import PlanTally, tally_plan
from solver.result import Assignment, Budget, Contract


def unit_budgets(
    instance: Instance, contracts: Sequence[Contract], assignments: Sequence[Assignment]
) -> list[Budget]:
    """The budgets[] of a plan (SPEC §4, DECISIONS 2–4)."""
    return budgets_from_tally(tally_plan(instance, contracts, assignments))


def lot_payouts(budgets: Sequence[Budget]) -> dict[str, float]:
    """Lot id -> Σ amounts of its budgets (DECISIONS 5); lots without budgets are absent."""
    amounts: dict[str, list[float]] = {}
    for budget in budgets:
        amounts.setdefault(budget.lot, []).append(budget.amount)
    return {lot: math.fsum(values) for lot, values in amounts.items()}


def budgets_from_tally(tally: PlanTally) -> list[Budget]:
    """The budgets[] from an existing tally (so `evaluate_plan` aggregates the plan only once)."""
    care_l, clients_l = tally.care_l, tally.clients_l
    population_amounts = {j: _population_amounts(tally, j) for j in tally.clients_ulm}
    budgets = []
    for u in range(tally.n_contracted):
        for j in tally.unit_lots[u]:
            lot = tally.lots[j]
            care = float(tally.care_ul[u, j])
            if lot.funding == "fee_for_service":
                amount = care
            elif lot.funding == "lump_sum":
                amount = care * (1.0 + lot.margin)
            elif lot.funding == "task_based":
                amount = _task_amount(
                    lot.task_budget or 0.0,
                    care,
                    float(care_l[j]),
                    float(tally.clients_ul[u, j]),
                    float(clients_l[j]),
                )
            else:
                amount = float(population_amounts[j][u])
            budgets.append(
                Budget(unit=tally.units[u], lot=lot.id, funding=lot.funding, amount=amount)
            )
    return budgets


def population_paid(tally: PlanTally, lot: int) -> np.ndarray:
    """(M,) what a population_based lot pays for each municipality (DECISIONS 4 and 7).

    rate × pop(m) when the lot has clients in m or a contracted unit can serve m, else 0.
    """
    rate = tally.lots[lot].population_rate or 0.0
    paid = (tally.clients_lm[lot] > 0) | tally.can_serve[lot].any(axis=0)
    return np.where(paid, rate * tally.population, 0.0)


def _task_amount(
    budget: float, care: float, care_lot: float, clients: float, clients_lot: float
) -> float:
    """DECISIONS 3: the task budget pro rata care cost, else pro rata clients, else 0."""
    if care_lot > 0:
        return budget * care / care_lot
    if clients_lot > 0:
        return budget * clients / clients_lot
    return 0.0


def _population_amounts(tally: PlanTally, lot: int) -> np.ndarray:
    """(U,) each unit's amount of a population_based lot (DECISIONS 4)."""
    rate = tally.lots[lot].population_rate or 0.0
    per_m = rate * tally.population  # (M,) what each municipality's population is worth
    clients_um = tally.clients_ulm[lot]
    clients_m = tally.clients_lm[lot]
    serve = tally.can_serve[lot].astype(np.float64)
    able = serve.sum(axis=0)
    # Municipalities with clients: share of the clients; without: equal over the able units.
    with_clients = clients_m > 0
    share = np.divide(clients_um, clients_m, out=np.zeros_like(clients_um), where=with_clients)
    equal = np.divide(serve, able, out=np.zeros_like(serve), where=(able > 0) & ~with_clients)
    return ((share + equal) * per_m).sum(axis=1)
