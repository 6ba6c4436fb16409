"""The checker's own arithmetic of SPEC §3–§5: objective, budgets, regional cost and cost split.

Recomputed in float64 from the plan with plain dicts, following DECISIONS 1–9, independently of
`solver.pricing` and `solver.split` (they must agree, not share code). `share_cents` is the
checker's own copy of `solver.split.rounding.largest_remainder` (in integer cents).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from solver.check.index import InstanceIndex, PlanLedger


@dataclass(frozen=True)
class Money:
    """Every recomputed amount of one plan."""

    contract_cost: float
    care_cost: float
    moved_clients: int
    transfer_cost: float
    quality_bonus: float
    objective: float
    budgets: dict[tuple[str, str], float]  # (unit, lot) -> amount, DECISIONS 2 order
    payouts: dict[str, float]  # lot -> Σ amounts
    regional_cost: float
    care_lm: dict[tuple[str, str], float]  # (lot, municipality) -> care cost, all units
    paid_for: dict[str, dict[str, float]]  # population_based lot -> municipality -> paid
    moved_m: dict[str, int]  # municipality -> moved clients of its incumbents


def recompute(ix: InstanceIndex, tally: PlanLedger) -> Money:
    """SPEC §3 and §4 for a plan whose assignments could all be priced."""
    policy = ix.instance.policy
    contract_cost = sum(ix.unit_cost[u] for u in tally.contracted)
    care_cost = sum(tally.care_ulm.values())
    moved_m: dict[str, int] = defaultdict(int)
    for p in ix.instance.providers:
        for inc in p.incumbent:
            kept = tally.clients_pmc.get((p.id, inc.municipality, inc.care_type), 0)
            moved_m[inc.municipality] += max(0, inc.clients - kept)
    moved = sum(moved_m.values())
    transfer = policy.transfer_cost * moved
    bonus = policy.quality_weight * tally.quality
    budgets, paid_for = _budgets(ix, tally)
    payouts = {lot: 0.0 for lot in ix.lots}
    for (_, lot), amount in budgets.items():
        payouts[lot] += amount
    care_lm: dict[tuple[str, str], float] = defaultdict(float)
    for (_, lot, m), care in tally.care_ulm.items():
        care_lm[(lot, m)] += care
    return Money(
        contract_cost=contract_cost,
        care_cost=care_cost,
        moved_clients=moved,
        transfer_cost=transfer,
        quality_bonus=bonus,
        objective=contract_cost + care_cost + transfer - bonus,
        budgets=budgets,
        payouts=payouts,
        regional_cost=contract_cost + sum(payouts.values()) + transfer,
        care_lm=dict(care_lm),
        paid_for=paid_for,
        moved_m=dict(moved_m),
    )


def _budgets(
    ix: InstanceIndex, tally: PlanLedger
) -> tuple[dict[tuple[str, str], float], dict[str, dict[str, float]]]:
    """DECISIONS 2–4: one amount per (contracted unit, lot it holds care types of)."""
    care_ul: dict[tuple[str, str], float] = defaultdict(float)
    clients_ul: dict[tuple[str, str], int] = defaultdict(int)
    care_l: dict[str, float] = defaultdict(float)
    clients_l: dict[str, int] = defaultdict(int)
    clients_lm: dict[tuple[str, str], int] = defaultdict(int)
    for (u, lot_id, m), n in tally.clients_ulm.items():
        clients_ul[(u, lot_id)] += n
        clients_l[lot_id] += n
        clients_lm[(lot_id, m)] += n
    for (u, lot_id, _), care in tally.care_ulm.items():
        care_ul[(u, lot_id)] += care
        care_l[lot_id] += care
    holders: dict[str, list[str]] = {lot: [] for lot in ix.lots}  # lot -> contracted units
    for u, care_types in tally.contracted.items():
        for lot_id in dict.fromkeys(ix.lot_of[c] for c in care_types):
            holders[lot_id].append(u)

    amounts: dict[tuple[str, str], float] = {}
    paid_for: dict[str, dict[str, float]] = {}
    for lot_id, lot in ix.lots.items():
        units = holders[lot_id]
        if lot.funding == "fee_for_service":
            for u in units:
                amounts[(u, lot_id)] = care_ul[(u, lot_id)]
        elif lot.funding == "lump_sum":
            for u in units:
                amounts[(u, lot_id)] = care_ul[(u, lot_id)] * (1.0 + lot.margin)
        elif lot.funding == "task_based":
            budget = lot.task_budget or 0.0
            for u in units:
                if care_l[lot_id] > 0:
                    amounts[(u, lot_id)] = budget * care_ul[(u, lot_id)] / care_l[lot_id]
                elif clients_l[lot_id] > 0:  # all prices and access costs zero
                    amounts[(u, lot_id)] = budget * clients_ul[(u, lot_id)] / clients_l[lot_id]
                else:
                    amounts[(u, lot_id)] = 0.0
        else:
            paid_for[lot_id] = _population_amounts(ix, tally, lot_id, units, clients_lm, amounts)

    # DECISIONS 2 order: units in instance order, then lots in lots[] order.
    lot_rank = {lot: i for i, lot in enumerate(ix.lots)}
    unit_rank = {u: i for i, u in enumerate(ix.units)}
    ordered = sorted(amounts, key=lambda key: (unit_rank[key[0]], lot_rank[key[1]]))
    return {key: amounts[key] for key in ordered}, paid_for


def _population_amounts(
    ix: InstanceIndex,
    tally: PlanLedger,
    lot_id: str,
    units: list[str],
    clients_lm: Mapping[tuple[str, str], int],
    amounts: dict[tuple[str, str], float],
) -> dict[str, float]:
    """DECISIONS 4: rate × pop(m) by client share, or equally over the units that can serve m."""
    rate = ix.lots[lot_id].population_rate or 0.0
    paid: dict[str, float] = {}
    for u in units:
        amounts[(u, lot_id)] = 0.0
    for m in ix.municipalities:
        pot = rate * ix.population[m]
        total = clients_lm.get((lot_id, m), 0)
        paid[m] = 0.0
        if total > 0:
            for u in units:
                part = pot * tally.clients_ulm.get((u, lot_id, m), 0) / total
                amounts[(u, lot_id)] += part
                paid[m] += part
            continue
        able = [
            u
            for u in units
            if any(ix.lot_of[c] == lot_id and ix.can_serve(u, c, m) for c in tally.contracted[u])
        ]
        for u in able:
            amounts[(u, lot_id)] += pot / len(able)
        if able:
            paid[m] = pot
    return paid


# ----------------------------------------------------------------------------------------------
# SPEC §5: the split, DECISIONS 6-9


def share_cents(raw: list[float], total_cents: int) -> list[int]:
    """DECISIONS 6: integer cents proportional to `raw`, adding up to `total_cents` exactly."""
    n = len(raw)
    if n == 0:
        return []
    whole = sum(raw)
    exact = [a * total_cents / whole for a in raw] if whole > 0 else [total_cents / n] * n
    cents = [math.floor(x) for x in exact]
    left = total_cents - sum(cents)
    # Largest remainder first; ties to the municipality listed first.
    order = sorted(range(n), key=lambda i: (-(exact[i] - cents[i]), i))
    if left >= 0:
        for j in range(left):
            cents[order[j % n]] += 1
    else:  # only float noise can get here: take back from the smallest remainders
        for j in range(-left):
            cents[order[n - 1 - (j % n)]] -= 1
    return cents


def split_raw(ix: InstanceIndex, tally: PlanLedger, money: Money) -> list[float]:
    """DECISIONS 7–9: the raw amount a_m per municipality (municipalities[] order)."""
    split = ix.instance.policy.cost_split
    by_lot = split.by_lot or {}
    usage, contract, transfer = _usage_parts(ix, tally, money)
    rest_usage = [
        contract[i] + transfer[i] + sum(usage[lot][i] for lot in ix.lots if lot not in by_lot)
        for i in range(len(ix.municipalities))
    ]
    rest_total = (
        money.contract_cost
        + money.transfer_cost
        + sum(amount for lot, amount in money.payouts.items() if lot not in by_lot)
    )
    raw = _by_rule(ix, split.rule, split.usage_weight, split.weights, rest_total, rest_usage)
    for lot, rule in by_lot.items():
        part = _by_rule(
            ix, rule.rule, rule.usage_weight, rule.weights, money.payouts[lot], usage[lot]
        )
        raw = [a + b for a, b in zip(raw, part, strict=True)]
    return raw


def _by_rule(
    ix: InstanceIndex,
    rule: str,
    usage_weight: float | None,
    weights: Mapping[str, float] | None,
    total: float,
    usage: list[float],
) -> list[float]:
    """Split `total` by one rule; `usage` is its usage split (DECISIONS 8)."""
    if rule == "usage":
        return usage
    if rule == "key":
        return _pro_rata(total, [(weights or {}).get(m, 0.0) for m in ix.municipalities])
    by_population = _pro_rata(total, [float(ix.population[m]) for m in ix.municipalities])
    if rule == "population":
        return by_population
    w = 0.5 if usage_weight is None else usage_weight  # mixed
    return [w * a + (1.0 - w) * b for a, b in zip(usage, by_population, strict=True)]


def _pro_rata(total: float, keys: list[float]) -> list[float]:
    """`total` pro rata `keys`; equally when the keys are all zero (nothing for no keys)."""
    if not keys:
        return []  # a region without municipalities has nobody to split over
    whole = sum(keys)
    if whole <= 0:
        return [total / len(keys)] * len(keys)
    return [total * k / whole for k in keys]


def _usage_parts(
    ix: InstanceIndex, tally: PlanLedger, money: Money
) -> tuple[dict[str, list[float]], list[float], list[float]]:
    """DECISIONS 7 per part: each lot's payout, the contract cost and the transfer cost."""
    ms = ix.municipalities
    clients_lm: dict[tuple[str, str], int] = defaultdict(int)
    clients_um: dict[tuple[str, str], int] = defaultdict(int)
    care_um: dict[tuple[str, str], float] = defaultdict(float)
    for (u, lot_id, m), n in tally.clients_ulm.items():
        clients_lm[(lot_id, m)] += n
        clients_um[(u, m)] += n
    for (u, _, m), care in tally.care_ulm.items():
        care_um[(u, m)] += care

    lots: dict[str, list[float]] = {}
    for lot_id in ix.lots:
        if lot_id in money.paid_for:  # population_based: what is paid for m
            lots[lot_id] = [money.paid_for[lot_id][m] for m in ms]
            continue
        keys = [money.care_lm.get((lot_id, m), 0.0) for m in ms]
        if sum(keys) <= 0:  # no care cost: by clients (no clients: the payout is 0 anyway)
            keys = [float(clients_lm.get((lot_id, m), 0)) for m in ms]
        payout = money.payouts[lot_id]
        lots[lot_id] = _pro_rata(payout, keys) if sum(keys) > 0 else [0.0] * len(ms)

    contract = [0.0] * len(ms)
    for u in tally.contracted:
        keys = [care_um.get((u, m), 0.0) for m in ms]
        if sum(keys) <= 0:
            keys = [float(clients_um.get((u, m), 0)) for m in ms]
        if sum(keys) <= 0:  # a unit without clients: pro rata youth population
            keys = [float(ix.population[m]) for m in ms]
        for i, a in enumerate(_pro_rata(ix.unit_cost[u], keys)):
            contract[i] += a
    rate = ix.instance.policy.transfer_cost
    transfer = [rate * money.moved_m.get(m, 0) for m in ms]
    return lots, contract, transfer
