"""SPEC §5's plain rules: usage, population, mixed, key, and `by_lot` (DECISIONS 6–10).

The regional cost has parts: each lot's payout, the contract cost and the transfer cost. Each
part is split into raw amounts per municipality by the rule that governs it (a lot named in
`by_lot` by its own rule, everything else by the main `rule`); the raw amounts are added up and
rounded once, by largest remainder (`rounding`), so that they add up exactly to the regional cost
in cents.
Because population and key splits are linear in the amount split, splitting part by part equals
splitting the whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from solver.errors import NotSupported
from solver.pricing.costs import PlanEvaluation
from solver.pricing.payouts import lot_payouts, population_paid
from solver.pricing.tally import PlanTally

DEFAULT_USAGE_WEIGHT = 0.5  # SPEC §5 / DECISIONS 8


@dataclass(frozen=True, slots=True)
class _Rule:
    """How one part of the regional cost is split."""

    rule: str
    usage_weight: float
    weights: dict[str, float] | None


def _rules(tally: PlanTally) -> tuple[_Rule, dict[str, _Rule]]:
    """The instance's main split rule and each lot's own rule (lots without one: none)."""
    split = tally.instance.policy.cost_split
    main = _Rule(split.rule, _weight(split.usage_weight), split.weights)
    by_lot = {
        lot: _Rule(s.rule, _weight(s.usage_weight), s.weights)
        for lot, s in (split.by_lot or {}).items()
    }
    return main, by_lot


def raw_amounts(tally: PlanTally, evaluation: PlanEvaluation) -> np.ndarray:
    """(M,) unrounded amounts per municipality under the instance's (non-shapley) split rule."""
    policy = tally.instance.policy
    main, by_lot = _rules(tally)
    payouts = lot_payouts(evaluation.budgets)
    n_m = len(tally.municipalities)

    # The main rule's parts: contract cost, transfer cost, and lots without a rule of their own.
    main_total = [evaluation.costs.contract_cost, evaluation.costs.transfer_cost]
    main_usage = _contract_usage(tally) + policy.transfer_cost * tally.moved_m
    out = np.zeros(n_m)
    for j, lot in enumerate(tally.lots):
        payout = payouts.get(lot.id, 0.0)
        usage = _lot_usage(tally, j, payout)
        if lot.id in by_lot:
            out += _by_rule(tally, by_lot[lot.id], payout, usage)
        else:
            main_total.append(payout)
            main_usage += usage
    return out + _by_rule(tally, main, math.fsum(main_total), main_usage)


def raw_parts(tally: PlanTally, evaluation: PlanEvaluation) -> np.ndarray:
    """(3, M) the raw amounts by part: care (the lots' payouts), contract cost, transfer cost.

    Each part split by the rule that governs it, as `raw_amounts` splits them together (the rules
    are linear in the amount split, so the parts add up to `raw_amounts` but for float noise).
    """
    policy = tally.instance.policy
    main, by_lot = _rules(tally)
    payouts = lot_payouts(evaluation.budgets)
    care = np.zeros(len(tally.municipalities))
    for j, lot in enumerate(tally.lots):
        payout = payouts.get(lot.id, 0.0)
        care += _by_rule(tally, by_lot.get(lot.id, main), payout, _lot_usage(tally, j, payout))
    costs = evaluation.costs
    contract = _by_rule(tally, main, costs.contract_cost, _contract_usage(tally))
    transfer = _by_rule(tally, main, costs.transfer_cost, policy.transfer_cost * tally.moved_m)
    return np.vstack([care, contract, transfer])


def _weight(usage_weight: float | None) -> float:
    return DEFAULT_USAGE_WEIGHT if usage_weight is None else usage_weight


def _pro_rata(values: np.ndarray) -> np.ndarray:
    """Shares pro rata `values`, or equal shares when they add up to 0."""
    total = values.sum()
    if total > 0:
        return values / total
    # Only reachable for a usage split of a client-less unit when every population is 0
    # (validation forbids population-based rules then); equal shares keep the cost counted.
    return np.full(len(values), 1.0 / len(values)) if len(values) else values


def _by_rule(tally: PlanTally, rule: _Rule, total: float, usage: np.ndarray) -> np.ndarray:
    """(M,) one part of the regional cost (`total`, with its usage split `usage`) by `rule`."""
    if rule.rule == "usage":
        return usage
    if rule.rule == "key":
        weights = rule.weights or {}
        key = np.array([weights.get(m, 0.0) for m in tally.municipalities], dtype=np.float64)
        return total * _pro_rata(key)
    population = total * _pro_rata(tally.population)
    if rule.rule == "population":
        return population
    if rule.rule == "mixed":
        return rule.usage_weight * usage + (1.0 - rule.usage_weight) * population
    raise NotSupported(f"cost split rule {rule.rule!r} is not known")


def _lot_usage(tally: PlanTally, lot: int, payout: float) -> np.ndarray:
    """(M,) DECISIONS 7, lot part: the payout pro rata care cost, clients, or what m is paid for."""
    if tally.lots[lot].funding == "population_based":
        return population_paid(tally, lot)
    care, clients = tally.care_lm[lot], tally.clients_lm[lot]
    if care.sum() > 0:
        return payout * _pro_rata(care)
    if clients.sum() > 0:
        return payout * _pro_rata(clients)
    return np.zeros(len(care))


def _contract_usage(tally: PlanTally) -> np.ndarray:
    """(M,) DECISIONS 7, contract part: each unit's contract cost pro rata its care cost in m.

    A unit without care cost but with clients: pro rata its clients; without clients: pro rata
    youth population.
    """
    n = tally.n_contracted
    care, clients = tally.care_um[:n], tally.clients_um[:n]
    care_u, clients_u = care.sum(axis=1), clients.sum(axis=1)
    shares = np.empty_like(care)
    by_care = care_u > 0
    by_clients = ~by_care & (clients_u > 0)
    by_population = ~by_care & ~by_clients
    shares[by_care] = care[by_care] / care_u[by_care, None]
    shares[by_clients] = clients[by_clients] / clients_u[by_clients, None]
    shares[by_population] = _pro_rata(tally.population)
    return (tally.contract_cost[:, None] * shares).sum(axis=0)
