"""Which units the Lagrangian subproblem contracts, under the one rule it keeps between units.

Given each unit's value `G_u` (its cost with the priced demand rows, `lagrangian`),
the subproblem picks the units to contract, minimising Σ G_u z_u, with one coupling rule kept:

- `none`: every unit alone (z = 1 where G < 0);
- `count`: Σ z ≤ p (the model's `max_contracts`, e.g. p-median);
- `capacity`: Σ cap_u z_u ≥ Σ need, which the demand and capacity rows imply (the aggregate
  capacity row of facility location); solved exactly by dynamic programming over capacity in units
  of the capacities' greatest common divisor, when that table is small enough.

`choose` gives the optimum; `open_costs` and `close_costs` how much that optimum rises when one unit
is forced in or out (∞ when impossible) — the penalties of Lagrangian reduced-cost fixing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from solver.model.data import BoolArray, FloatArray

INF = float("inf")
_MAX_TABLE = 2_000_000  # cells of the capacity table (items × capacity steps) per solve
_MAX_ITEMS = 300  # units in the table: one numpy pass each, at every subgradient step


@dataclass(frozen=True, eq=False)
class Coupling:
    """The rule kept between units: kind `none`, `count` (limit) or `capacity` (weights, need)."""

    kind: str
    limit: int = 0
    weights: np.ndarray | None = None  # integer capacity steps per unit
    steps: int = 0  # Σ need in capacity steps (rounded up)


def coupling(max_contracts: float | None, capacity: FloatArray, need: float) -> Coupling:
    """The strongest rule that is cheap enough: `count` if the model has one, else `capacity`."""
    if max_contracts is not None:
        return Coupling("count", limit=int(math.floor(max_contracts + 1e-9)))
    if need <= 0 or len(capacity) == 0 or np.any(capacity != np.rint(capacity)):
        return Coupling("none")
    whole = np.minimum(capacity, need).astype(np.int64)  # capacity above need never matters
    positive = whole[whole > 0]
    if len(positive) == 0:
        return Coupling("none")
    step = int(np.gcd.reduce(positive))
    steps = math.ceil(need / step - 1e-9)
    if steps * len(capacity) > _MAX_TABLE or len(capacity) > _MAX_ITEMS:
        return Coupling("none")  # too slow at every step (set cover: 4,000 columns)
    return Coupling("capacity", weights=whole // step, steps=steps)


def choose(rule: Coupling, value: FloatArray, forced: BoolArray, allowed: BoolArray) -> BoolArray:
    """The cheapest set of units: all `forced`, only `allowed` ones (value ∞ = not allowed)."""
    usable = allowed & np.isfinite(value)
    if np.any(forced & ~usable):
        return np.zeros(0, dtype=np.bool_)  # a forced unit cannot be contracted: infeasible
    chosen = forced.copy()
    free = usable & ~forced
    if rule.kind == "count":
        room = rule.limit - int(forced.sum())
        if room < 0:
            return np.zeros(0, dtype=np.bool_)
        candidates = np.flatnonzero(free & (value < 0))
        best = candidates[np.lexsort((candidates, value[candidates]))][:room]
        chosen[best] = True
        return chosen
    chosen |= free & (value < 0)
    if rule.kind == "capacity":
        assert rule.weights is not None
        left = rule.steps - int(rule.weights[chosen].sum())
        if left > 0:
            items = np.flatnonzero(free & ~chosen)
            picked = _cover(value[items], rule.weights[items], left)
            if picked is None:
                return np.zeros(0, dtype=np.bool_)
            chosen[items[picked]] = True
    return chosen


def total(value: FloatArray, chosen: BoolArray) -> float:
    """Σ value of the chosen units; ∞ when `choose` found no feasible set."""
    return float(value[chosen].sum()) if len(chosen) else INF


def open_costs(
    rule: Coupling, value: FloatArray, forced: BoolArray, allowed: BoolArray
) -> FloatArray:
    """For every unit: optimum with it forced in, minus the optimum (0 for chosen units)."""
    base_set = choose(rule, value, forced, allowed)
    base = total(value, base_set)
    out = np.zeros(len(value))
    for u in np.flatnonzero(~base_set):
        if not allowed[u] or not np.isfinite(value[u]):
            out[u] = INF
            continue
        out[u] = _forced_total(rule, value, forced, allowed, int(u), True, base_set) - base
    return out


def close_costs(
    rule: Coupling, value: FloatArray, forced: BoolArray, allowed: BoolArray
) -> FloatArray:
    """For every unit: optimum with it forced out, minus the optimum (0 for units not chosen)."""
    base_set = choose(rule, value, forced, allowed)
    base = total(value, base_set)
    out = np.zeros(len(value))
    for u in np.flatnonzero(base_set):
        out[u] = (
            INF
            if forced[u]
            else (_forced_total(rule, value, forced, allowed, int(u), False, base_set) - base)
        )
    return out


def _forced_total(
    rule: Coupling,
    value: FloatArray,
    forced: BoolArray,
    allowed: BoolArray,
    unit: int,
    on: bool,
    base_set: BoolArray,
) -> float:
    """The optimum with `unit` forced in (`on`) or out, with shortcuts for `none` and `count`."""
    if rule.kind == "none":
        return total(value, base_set) + (value[unit] if on else -value[unit])
    if rule.kind == "count":
        chosen_free = np.flatnonzero(base_set & ~forced)
        if on:
            if int(base_set.sum()) < rule.limit:
                return total(value, base_set) + value[unit]
            if len(chosen_free) == 0:
                return INF
            return total(value, base_set) + value[unit] - value[chosen_free].max()
        rest = np.flatnonzero(allowed & ~base_set & np.isfinite(value))
        refill = min(0.0, float(value[rest].min())) if len(rest) else 0.0
        return total(value, base_set) - value[unit] + refill
    now_forced, now_allowed = forced.copy(), allowed.copy()
    if on:
        now_forced[unit] = True
    else:
        now_allowed[unit] = False
    return total(value, choose(rule, value, now_forced, now_allowed))


def _cover(cost: FloatArray, weight: np.ndarray, need: int) -> np.ndarray | None:
    """Indices of a cheapest subset with Σ weight ≥ need (costs ≥ 0); None if none exists."""
    if int(weight.sum()) < need:
        return None
    cells = np.arange(need + 1)
    best = np.full(need + 1, INF)
    best[0] = 0.0
    took = np.zeros((len(cost), need + 1), dtype=np.bool_)
    for i, (c, w) in enumerate(zip(cost, weight, strict=True)):
        via = best[np.maximum(cells - int(w), 0)] + c
        took[i] = via < best
        best = np.where(took[i], via, best)
    picked = []
    left = need
    for i in range(len(cost) - 1, -1, -1):
        if left > 0 and took[i, left]:
            picked.append(i)
            left = max(left - int(weight[i]), 0)
    return np.array(sorted(picked), dtype=np.int64)
