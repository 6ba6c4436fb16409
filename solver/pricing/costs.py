"""SPEC §3–§4: the product's own evaluation of a plan: objective, parts, budgets, regional cost.

Runs after every solve on the extracted contracts and assignments. The plan is aggregated once
(`tally`) and everything is derived from those sums, so a plan of ~50,000 assignments is
evaluated in well under a second. Money is float64 euros; totals use `math.fsum` so they do not
depend on summation order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from solver.instance import Instance
from solver.pricing.payouts import budgets_from_tally, lot_payouts
from solver.pricing.tally import PlanTally, tally_plan
from solver.result import Assignment, Budget, Contract, Costs, MovedClients


@dataclass(frozen=True, slots=True)
class PlanEvaluation:
    """The objective (SPEC §3), its parts, the budgets (SPEC §4) and the regional cost of a plan."""

    objective: float  # contract + care + transfer − quality bonus (DECISIONS 1)
    costs: Costs  # contract_cost, care_cost, transfer_cost, quality_bonus, moved_clients, payouts
    budgets: list[Budget]  # DECISIONS 2 order
    regional_cost: float  # contract cost + Σ lot payouts + transfer cost (DECISIONS 5)
    moved: list[MovedClients]  # incumbents who change provider, per (p, m, c)


def evaluate_plan(
    instance: Instance, contracts: Sequence[Contract], assignments: Sequence[Assignment]
) -> PlanEvaluation:
    """Evaluate a (feasible) plan; an empty plan evaluates to all zeros."""
    return evaluate_tally(tally_plan(instance, contracts, assignments))


def evaluate_tally(tally: PlanTally) -> PlanEvaluation:
    """Evaluate a plan from its tally (for callers that already aggregated it)."""
    policy = tally.instance.policy
    contract_cost = math.fsum(tally.contract_cost)
    transfer_cost = policy.transfer_cost * tally.moved
    quality_bonus = policy.quality_weight * tally.quality_points
    budgets = budgets_from_tally(tally)
    per_lot = lot_payouts(budgets)
    payouts = math.fsum(per_lot.get(lot.id, 0.0) for lot in tally.lots)
    costs = Costs(
        contract_cost=contract_cost,
        care_cost=tally.care_cost,
        transfer_cost=transfer_cost,
        quality_bonus=quality_bonus,
        moved_clients=tally.moved,
        payouts=payouts,
    )
    return PlanEvaluation(
        objective=contract_cost + tally.care_cost + transfer_cost - quality_bonus,
        costs=costs,
        budgets=budgets,
        regional_cost=contract_cost + payouts + transfer_cost,
        moved=[
            MovedClients(provider=p, municipality=m, care_type=c, clients=n, incumbents=i)
            for p, m, c, n, i in tally.moved_pmc
        ],
    )
