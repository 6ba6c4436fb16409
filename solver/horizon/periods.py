"""Each period of a horizon as an instance with its own figures (SPEC §8), and its weight.

A period's demand of (m, c) is demand × factor rounded half up; prices, access costs and contract
costs × `price_factor`; capacities × `capacity_factor` rounded down; task budgets, budget caps and
population rates × `budget_factor`. Incumbents count in the first period only; a later period's
own incumbents are the clients of contracts that ended at its term's start (`with_ended`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from solver.instance import Horizon, Incumbent, Instance, Period


@dataclass(frozen=True)
class PeriodSpec:
    """One period: its id, resolved term, weight, and whether a new term starts with it."""

    index: int
    id: str
    term: str
    weight: float
    starts_term: bool  # a later term's first period (contracts may end, clients of those move)


def period_specs(horizon: Horizon) -> list[PeriodSpec]:
    """The periods in order, terms resolved ("1" first) and weights computed (SPEC §8)."""
    specs = []
    term = "1"
    for t, period in enumerate(horizon.periods):
        new = period.term if period.term is not None else term
        starts = t > 0 and new != term
        term = new
        weight = period.weight
        if weight is None:
            weight = 1.0 / (1.0 + horizon.discount_rate) ** t
        specs.append(PeriodSpec(t, period.id, term, weight, starts))
    return specs


def scaled_demand(clients: int, factor: float) -> int:
    """Demand × factor, rounded half up."""
    return math.floor(clients * factor + 0.5)


def demand_factor(period: Period, care_type: str) -> float:
    """The period's demand factor for one care type (1 where a map leaves it out)."""
    factor = period.demand_factor
    if isinstance(factor, dict):
        return factor.get(care_type, 1.0)
    return factor


def period_instance(instance: Instance, period: Period, *, first: bool) -> Instance:
    """The instance of one period: scaled figures, no horizon; incumbents in the first only."""
    price, cap, budget = period.price_factor, period.capacity_factor, period.budget_factor
    demand = [
        d.model_copy(
            update={"clients": scaled_demand(d.clients, demand_factor(period, d.care_type))}
        )
        for d in instance.demand
    ]
    providers = [
        p.model_copy(
            update={
                "contract_cost": p.contract_cost * price,
                "access_cost": {m: a * price for m, a in p.access_cost.items()},
                "offers": [
                    o.model_copy(
                        update={"price": o.price * price, "capacity": math.floor(o.capacity * cap)}
                    )
                    for o in p.offers
                ],
                "incumbent": list(p.incumbent) if first else [],
            }
        )
        for p in instance.providers
    ]
    consortia = [k.model_copy(update={"contract_cost": k.contract_cost * price})
                 for k in instance.consortia]  # fmt: skip
    lots = [
        lot.model_copy(
            update={
                name: None if getattr(lot, name) is None else getattr(lot, name) * budget
                for name in ("task_budget", "budget_cap", "population_rate")
            }
        )
        for lot in instance.lots
    ]
    policy = instance.policy if first else instance.policy.model_copy(update={"max_moved": None})
    return instance.model_copy(
        update={
            "demand": demand,
            "providers": providers,
            "consortia": consortia,
            "lots": lots,
            "policy": policy,
            "horizon": None,
        }
    )


def with_ended(instance: Instance, ended: dict[tuple[str, str, str], int]) -> Instance:
    """A later period's instance with the clients of ended contracts as its incumbents.

    `ended` maps (provider, municipality, care type) to clients that contracts ending at this
    term's start held the period before: they must move (SPEC §8), so pricing and the split count
    them as moved clients of this period, with their transfer cost.
    """
    per_provider: dict[str, list[Incumbent]] = {}
    for (p, m, c), n in ended.items():
        if n > 0:
            per_provider.setdefault(p, []).append(Incumbent(municipality=m, care_type=c, clients=n))
    providers = [p.model_copy(update={"incumbent": per_provider.get(p.id, [])})
                 for p in instance.providers]  # fmt: skip
    return instance.model_copy(update={"providers": providers})
