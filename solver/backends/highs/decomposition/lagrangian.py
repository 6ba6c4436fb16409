"""A Lagrangian lower bound of a SPEC model: the demand rows priced, the facility skeleton kept.

For prices π on the demand rows (Σ x = need), every plan of the model costs at least

    L(π) = Σ_j π_j·need_j + min { Σ (c − π)·x + c·y + c·z  over the skeleton }

where the skeleton (`skeleton`) keeps x ≤ b·y, Σ x ≤ cap·y per member offer, y ≤ z,
"a contracted unit holds a care type" and one rule between units (`unit_coupling`); every
other row is dropped and every other column sits at the bound its cost prefers. Dropping rows and
pricing equalities only relaxes the model, so L(π) is a valid bound for ANY π; y and z are 0/1 in
the model, and the flows are relaxed to continuous (a further relaxation). The minimum splits by
unit: per member a continuous knapsack (greedy on the most negative reduced costs), per option the
sum over its members, per unit the options worth taking, then the coupling rule.

`maximise` improves π by subgradient steps (Polyak steps towards a target); it also keeps the
Lagrangian bound a valid bound at every step, so stopping early (a deadline) is always safe.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from solver.backends.highs.decomposition import unit_coupling
from solver.backends.highs.decomposition.skeleton import FacilityStructure
from solver.model.data import BoolArray, FloatArray, IntArray
from solver.model.matrix import MatrixModel

INF = float("inf")
_VISIT_EVERY = 10


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The subproblem at prices `pi`: its value (the bound) and its optimal point."""

    bound: float
    pi: FloatArray
    reduced: FloatArray  # c − π of each flow
    amount: FloatArray  # knapsack amount of each flow when its option is on
    margin: FloatArray  # per member: reduced cost of the last unit taken (0 if capacity is slack)
    option_gain: FloatArray  # g_y: option cost plus its members' knapsacks
    option_on: BoolArray  # options on in the optimum, given their unit on
    unit_raw: FloatArray  # unit cost plus the options it takes (no care-type rule)
    unit_value: FloatArray  # G_u: what contracting the unit adds (∞ if it cannot be)
    unit_on: BoolArray  # units contracted in the optimum
    subgradient: FloatArray  # need − Σ x of each demand row


class Lagrangian:
    """L(π) for one model and its skeleton, with the coupling rule between units."""

    def __init__(self, model: MatrixModel, s: FacilityStructure) -> None:
        self.s = s
        self.model = model
        self.cost = model.cost
        self.rule = unit_coupling.coupling(s.max_contracts, s.unit_capacity(), float(s.need.sum()))
        rest = s.rest
        prefer = np.where(model.cost[rest] >= 0, model.col_lo[rest], model.col_hi[rest])
        self.constant = float(model.cost[rest] @ prefer)
        self.y_allowed = model.col_hi[s.y] >= 1
        self.y_forced = model.col_lo[s.y] >= 1
        self.z_allowed = model.col_hi[s.z] >= 1
        self.z_forced = model.col_lo[s.z] >= 1
        self.x_ub = np.where(self.y_allowed[s.member_y[s.x_member]], s.x_ub, 0.0)
        self._x_cost = model.cost[s.x]
        # members whose capacity holds all their flows at once: their knapsack is not a sort
        total = np.bincount(s.x_member, self.x_ub, minlength=len(s.member_cap))
        self._never_full = (total <= s.member_cap)[s.x_member]

    @property
    def uncapacitated(self) -> bool:
        """Whether every member's capacity holds all its flows at once (no capacity can bind)."""
        return bool(self._never_full.all())

    def start(self) -> FloatArray:
        """Initial prices: per demand row, the cheapest flow's cost (0 when costs sit on z)."""
        pi = np.full(self.s.n_rows, INF)
        np.minimum.at(pi, self.s.x_row, self._x_cost)
        return np.where(np.isfinite(pi), pi, 0.0)

    def evaluate(self, pi: FloatArray) -> Evaluation:
        """The subproblem's optimum at prices `pi` (bound ∞ if the kept skeleton is infeasible)."""
        s = self.s
        reduced = self._x_cost - pi[s.x_row]
        amount, knap, margin = self._knapsacks(reduced)
        n_y, n_z = len(s.y), len(s.z)
        gain = self.cost[s.y] + np.bincount(s.member_y, knap, minlength=n_y)
        gain = np.where(self.y_allowed, gain, INF)
        take = self.y_forced | (self.y_allowed & (gain < 0))
        raw = self.cost[s.z] + np.bincount(s.y_z, np.where(take, gain, 0.0), minlength=n_z)
        value = raw.copy()
        on = take.copy()
        if s.needs_care_type:
            # a unit without a worthwhile option still needs one: its cheapest allowed option
            has = np.bincount(s.y_z, take, minlength=n_z) > 0
            pick = _cheapest_per_group(gain, s.y_z, n_z, self.y_allowed)
            extra = np.where(pick >= 0, gain[np.maximum(pick, 0)], INF)
            value = np.where(has, raw, raw + extra)
            lacking = np.flatnonzero(~has & (pick >= 0))
            on[pick[lacking]] = True
        chosen = unit_coupling.choose(self.rule, value, self.z_forced, self.z_allowed)
        bound = float(pi @ s.need) + unit_coupling.total(value, chosen) + self.constant
        if not len(chosen):
            chosen = np.zeros(n_z, dtype=np.bool_)
        flow_on = on[s.member_y[s.x_member]] & chosen[s.y_z[s.member_y[s.x_member]]]
        served = np.bincount(s.x_row, np.where(flow_on, amount, 0.0), minlength=s.n_rows)
        return Evaluation(
            bound=bound,
            pi=pi,
            reduced=reduced,
            amount=amount,
            margin=margin,
            option_gain=gain,
            option_on=on,
            unit_raw=raw,
            unit_value=value,
            unit_on=chosen,
            subgradient=s.need - served,
        )

    def _knapsacks(self, reduced: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Per member: greedy continuous knapsack over its flows with negative reduced cost."""
        s = self.s
        n_m = len(s.member_cap)
        negative = (reduced < 0) & (self.x_ub > 0)
        amount = np.where(negative & self._never_full, self.x_ub, 0.0)  # no sort needed there
        good = np.flatnonzero(negative & ~self._never_full)
        order = good[np.lexsort((good, reduced[good], s.x_member[good]))]
        member = s.x_member[order]
        ub = self.x_ub[order]
        filled = np.cumsum(ub)
        starts = np.searchsorted(member, np.arange(n_m))
        before = np.concatenate([[0.0], filled])[starts][member]  # filled before the member
        used_before = filled - ub - before
        take = np.clip(s.member_cap[member] - used_before, 0.0, ub)
        amount[order] = take
        knap = np.bincount(s.x_member, reduced * amount, minlength=n_m).astype(np.float64)
        # the capacity binds where the member's good flows exceed it: the last unit taken prices it
        room = np.bincount(member, ub, minlength=n_m) > s.member_cap
        last = np.full(n_m, -INF)
        np.maximum.at(last, member[take > 0], reduced[order][take > 0])
        margin = np.where(room & np.isfinite(last), np.minimum(last, 0.0), 0.0).astype(np.float64)
        return amount, knap, margin

    def maximise(
        self,
        pi: FloatArray,
        target: float | None,
        *,
        deadline: float,
        iterations: int,
        best: Evaluation | None = None,
        visit: Callable[[Evaluation], None] | None = None,
    ) -> Evaluation:
        """Subgradient ascent from `pi`; the best evaluation met.

        Polyak steps towards `target` (a plan's cost); without one, towards a moving target 5 %
        above the best bound so far (relative to the size of the costs). `visit` sees every
        `_VISIT_EVERY`-th evaluation (to read plans off it).
        """
        step, stall = 2.0, 0
        current = pi
        for k in range(iterations):
            if time.monotonic() >= deadline:
                break
            ev = self.evaluate(current)
            if visit is not None and k % _VISIT_EVERY == 0:
                visit(ev)
            if not np.isfinite(ev.bound):
                return ev  # the skeleton alone is infeasible: nothing to maximise
            if best is None or ev.bound > best.bound + 1e-9 * max(1.0, abs(best.bound)):
                best, stall = ev, 0
            else:
                stall += 1
                if stall >= 20:
                    step, stall = step / 2, 0
            goal = target if target is not None else best.bound + 0.05 * self._scale(best.bound)
            norm = float(ev.subgradient @ ev.subgradient)
            if norm < 1e-12 or step < 1e-5 or best.bound >= goal:
                break
            current = current + step * (goal - ev.bound) / norm * ev.subgradient
        assert best is not None
        return best

    def _scale(self, bound: float) -> float:
        """A size for the moving target: the bound, or the mean cost of a column."""
        return max(abs(bound), float(np.abs(self.cost).sum()) / max(len(self.cost), 1), 1.0)


def _cheapest_per_group(
    value: FloatArray, group: IntArray, n_groups: int, allowed: BoolArray
) -> IntArray:
    """Per group, the index of its smallest allowed value (lowest index on ties); −1 if none."""
    idx = np.flatnonzero(allowed)
    order = idx[np.lexsort((idx, value[idx], group[idx]))]
    first = np.full(n_groups, -1, dtype=np.int64)
    groups = group[order]
    head = np.ones(len(order), dtype=np.bool_)
    head[1:] = groups[1:] != groups[:-1]
    first[groups[head]] = order[head]
    return first
