"""Local search over the contracted units of an uncapacitated facility model (p-median, UFL).

When no capacity can bind, a set of contracted units fixes the cheapest plan: every demand row goes
whole to its cheapest flow at a contracted unit (`lagrange_plan.plan_for_units`). The search moves
through unit sets by the classic vertex substitution (Teitz and Bart), in the fast form of Whitaker
and of Resende and Werneck: from the nearest and second-nearest contracted unit of every row, the
change in cost of every move is computed at once —

- open unit i:         Δ = f_i − Σ_r max(0, d1_r − C_ir)
- close unit u:        Δ = Σ_{r: φ1(r)=u} (d2_r − d1_r) − f_u
- open i, close u:     Δ = Δ_open(i) + Δ_close(u) − Σ_{r: φ1(r)=u} max(0, d2_r − max(C_ir, d1_r))

with C_ir the cost of serving row r from unit i, f the unit's contract cost, d1/d2 the cheapest and
second-cheapest contracted unit of a row and φ1 the cheapest one. The best improving move is taken
until none improves (opening only while Σ z ≤ p leaves room). Large-path plans of p-median and
uncapacitated facility location come from the Lagrangian subproblem and are often 1–2 % above the
optimum on the larger OR-Library graphs; this closes most of that in a fraction of a second, and a
plan close to the optimum is what makes reduced-cost fixing remove most of the model.

The search only proposes unit sets: each plan is built and checked against every row of the model
by `plan_for_units`, so nothing it returns is ever anything but a plan of the model.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from solver.backends.highs.decomposition.lagrangian import Lagrangian
from solver.model.data import BoolArray, FloatArray

log = logging.getLogger(__name__)

_MAX_CELLS = 20_000_000  # units × demand rows of the dense cost table (160 MB)
_REL_TOL = 1e-9  # a move must gain this share of the cost to count
# Kicks in a row that find nothing better before the search stops. A count, not a clock, so the
# same seed gives the same plan. Measured on pmed26 (600 vertices, p = 5): the local optimum of the
# first descent is 9,924, the 23rd kick reaches the optimum 9,917; pmed35-39 need none.
_KICKS = 50
_KICK_SIZE = 2  # units swapped at random by one kick


class SwapSearch:
    """The dense cost table of one uncapacitated model and the moves over its unit sets."""

    def __init__(
        self, cost: FloatArray, fixed: FloatArray, penalty: float, lag: Lagrangian
    ) -> None:
        self.cost = cost  # (units, rows): serving a row whole from a unit (`penalty` if it can't)
        self.fixed = fixed  # (units,): contract cost of the unit with its one option
        self.penalty = penalty
        self.limit = lag.rule.limit if lag.rule.kind == "count" else None
        self.allowed = lag.z_allowed & np.isfinite(fixed)
        self.forced = lag.z_forced

    @classmethod
    def of(cls, lag: Lagrangian) -> SwapSearch | None:
        """The search for `lag`'s model; None when a capacity can bind or units have choices."""
        s, model = lag.s, lag.model
        n_units, n_rows = len(s.z), s.n_rows
        if not lag.uncapacitated or n_units * n_rows > _MAX_CELLS:
            return None
        # one option per unit and one member per option: a unit set then fixes its plan's cost
        if len(s.y) != n_units or len(s.member_y) != len(s.y):
            return None
        if len(np.unique(s.y_z)) != n_units or len(np.unique(s.member_y)) != len(s.y):
            return None
        if any(np.any(model.cost[cols] < 0) for cols in (s.x, s.y, s.z)):
            return None  # a negative cost would make a flow or contract worth taking alone
        if not np.any(model.cost[s.x] > 0):
            # set cover: the cost lies in the units alone, and a restricted HiGHS solve finds
            # better plans than swaps (measured: scpd2 proven in 23 s that way, 35 s with swaps)
            return None
        unit = s.y_z[s.member_y[s.x_member]]
        per_row = model.cost[s.x] * s.need[s.x_row]
        carries = lag.x_ub >= s.need[s.x_row]  # one flow must carry its whole row
        finite = per_row[carries]
        # serving no row costs more than any plan that serves all: a plan never uses the penalty
        penalty = 2.0 * (float(np.abs(finite).sum()) + float(model.cost[s.z].sum())
                         + float(model.cost[s.y].sum())) + 1.0  # fmt: skip
        cost = np.full((n_units, n_rows), penalty)
        np.minimum.at(cost, (unit[carries], s.x_row[carries]), finite)
        fixed = np.zeros(n_units)
        fixed[s.y_z] = model.cost[s.y]
        fixed += model.cost[s.z]
        fixed = np.where(lag.y_allowed[np.argsort(s.y_z)], fixed, np.inf)
        return cls(cost, fixed, penalty, lag)

    def total(self, on: BoolArray) -> float:
        """Cost of the plan of unit set `on` (the penalty counts where a row is unserved)."""
        if not on.any():
            return float("inf")
        return float(self.cost[on].min(axis=0).sum() + self.fixed[on].sum())

    def search(self, on: BoolArray, deadline: float, seed: int) -> BoolArray:
        """Descent from `on`, then kicks (random swaps, descent again) while they keep paying."""
        rng = np.random.default_rng(seed)
        best = self.improve(on.copy(), deadline)
        best_cost, idle = self.total(best), 0
        while idle < _KICKS and time.monotonic() < deadline:
            trial = best.copy()
            opened = np.flatnonzero(trial & ~self.forced)
            closed = np.flatnonzero(~trial & self.allowed)
            kick = min(_KICK_SIZE, len(opened), len(closed))
            if kick == 0:
                break
            trial[rng.choice(opened, kick, replace=False)] = False
            trial[rng.choice(closed, kick, replace=False)] = True
            trial = self.improve(trial, deadline)
            cost = self.total(trial)
            if cost < best_cost - _REL_TOL * max(1.0, abs(best_cost)):
                best, best_cost, idle = trial, cost, 0
            else:
                idle += 1
        log.info("swap search: cost %.6g", best_cost)
        return best

    def improve(self, on: BoolArray, deadline: float) -> BoolArray:
        """A unit set no single open, close or swap improves, starting from `on`."""
        on = on & self.allowed | self.forced
        moves = 0
        while time.monotonic() < deadline and on.any():
            move = self.best_move(on)
            if move is None:
                break
            opened, closed = move
            if opened >= 0:
                on[opened] = True
            if closed >= 0:
                on[closed] = False
            moves += 1
        log.debug("swap search: %d moves, cost %.6g", moves, self.total(on))
        return on

    def best_move(self, on: BoolArray) -> tuple[int, int] | None:
        """The (opened, closed) unit of the best improving move (−1: none), or None."""
        c, f = self.cost, self.fixed
        open_idx = np.flatnonzero(on)
        sub = c[open_idx]
        if len(open_idx) >= 2:
            two = np.argpartition(sub, 1, axis=0)[:2]
            first = np.take_along_axis(sub, two, axis=0)
            swap = first[0] > first[1]
            nearest = np.where(swap, two[1], two[0])
            d1, d2 = np.minimum(first[0], first[1]), np.maximum(first[0], first[1])
        else:
            nearest = np.zeros(c.shape[1], dtype=np.int64)
            # a lone unit's rows have only the penalty as their second choice
            d1, d2 = sub[0], np.full(c.shape[1], self.penalty)
        phi = open_idx[nearest]
        current = float(d1.sum() + f[on].sum())
        tol = _REL_TOL * max(1.0, abs(current))
        closed_ok = ~self.allowed | on
        add = f - np.maximum(d1[None, :] - c, 0.0).sum(axis=1)  # (units,)
        add = np.where(closed_ok, np.inf, add)
        lost = np.bincount(phi, d2 - d1, minlength=len(f))
        drop = np.where(on & ~self.forced, lost - f, np.inf)  # closing: its rows to their 2nd
        best, move = -tol, None
        room = self.limit is None or len(open_idx) < self.limit
        if room and np.isfinite(add).any() and add.min() < best:
            best, move = float(add.min()), (int(add.argmin()), -1)
        if len(open_idx) >= 2 and np.isfinite(drop).any() and drop.min() < best:
            best, move = float(drop.min()), (-1, int(drop.argmin()))
        candidates = np.flatnonzero(np.isfinite(add))
        leaving = np.flatnonzero(np.isfinite(drop))
        if len(candidates) and len(leaving):
            # E(i, u) = Σ_{r: φ1(r)=u} max(0, d2_r − max(C_ir, d1_r)), for every i, u at once
            relief = np.maximum(d2[None, :] - np.maximum(c[candidates], d1[None, :]), 0.0)
            member = (phi[:, None] == leaving[None, :]).astype(np.float64)  # (rows, leaving)
            swap_delta = add[candidates][:, None] + drop[leaving][None, :] - relief @ member
            k = int(np.argmin(swap_delta))
            i, u = divmod(k, len(leaving))
            if swap_delta[i, u] < best:
                best, move = float(swap_delta[i, u]), (int(candidates[i]), int(leaving[u]))
        return move
