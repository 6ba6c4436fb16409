"""Benders branch-and-cut over the contracted units of an uncapacitated facility model.

When no capacity can bind (p-median, uncapacitated facility location) a set of contracted units S
fixes the plan's cost: every demand row r goes whole to its cheapest unit in S. So the model is

    min  Σ_i f_i·u_i + Σ_r θ_r      over units u ∈ {0, 1}, at most p of them,

with θ_r the cost of row r under u. For any level D among row r's costs C_ir,

    θ_r ≥ D − Σ_{i: C_ir < D} (D − C_ir)·u_i

holds at every u (the cheapest open unit costs either ≥ D, or c < D and the sum removes at least
D − c), and at the level where the cumulated u of row r's cheapest units first reaches 1 it is the
row's LP subproblem's optimal dual cut — closed form, one sort per row (Duran-Mateluna, Alès and
Elloumi, EJOR 2023; the classical Benders reformulation of the p-median). The master is an LP over
units + one θ per row, with only the cuts that are violated somewhere:

1. root: cut loop on the LP, separating at a point between the LP optimum and a core point (in-out
   stabilisation), until no cut is violated or the bound stalls; the LP's bound equals the bound of
   the classical strong formulation at a fraction of its size;
2. reduced-cost fixing against the best plan's cost U: a unit whose reduced cost lifts the LP above
   U is out of every better plan; the master keeps only the candidates and the cuts that bind;
3. branch and bound on the units, best bound first, with the cut loop at every node — the lazy
   constraints HiGHS's MIP cannot take from us (highspy 1.12 declares a lazy-constraint callback
   type, but its MIP solver never calls it).

Exactness: every cut is valid at every integer u, so every node's LP is a relaxation of its subtree;
a whole unit set is a leaf only once no cut is violated there; fixing and pruning only drop unit
sets whose cost is at least the cutoff. The bound returned is the least bound of the nodes left
open, or what every dropped set costs at least when none is (`_Search.floor`), and it is a bound
of the model whenever the cost table is its exact cost (`applies`).
"""

from __future__ import annotations

import dataclasses
import heapq
import logging
import time
from collections.abc import Callable

import highspy
import numpy as np

from solver.backends.highs.decomposition.lagrangian import Lagrangian
from solver.backends.highs.decomposition.swap_search import SwapSearch
from solver.backends.highs.run import new_highs
from solver.model.data import BoolArray, FloatArray

log = logging.getLogger(__name__)

# units × rows of the cost table: the separation keeps three tables this size. Measured up to
# pmed40 (900 × 900); larger tables take the Lagrangian path until measured.
_MAX_CELLS = 1_000_000
_VIOLATION = 1e-6  # a cut must be violated by this share of max(1, |D|) to be added
_STALL = 1e-7  # root rounds whose bound gains less than this share count as stalled
_STALL_ROUNDS = 3
_ROOT_ROUNDS = 200
_NODE_ROUNDS = 20  # cut rounds at one node before it branches anyway
_REPORT_EVERY_S = 0.5
_INF = highspy.kHighsInf


@dataclasses.dataclass(frozen=True)
class Outcome:
    """The best unit set found, its cost, a proven lower bound, and the nodes the search took."""

    units: BoolArray
    cost: float
    bound: float
    nodes: int
    stopped: bool  # the deadline or the caller ended the search before its proof


def applies(lag: Lagrangian, table: SwapSearch) -> bool:
    """Whether `table` is the exact cost of `lag`'s model over unit sets, small enough to cut.

    The swap search's table serves each row whole from one flow; that is the model's cost when
    every usable flow can carry its whole row and nothing outside the skeleton costs anything.
    """
    s = lag.s
    whole = (lag.x_ub == 0) | (lag.x_ub >= s.need[s.x_row])
    no_rest = not np.any(lag.model.cost[s.rest] != 0)
    forced_ok = not np.any(table.forced & ~table.allowed)
    return bool(whole.all()) and no_rest and forced_ok and table.cost.size <= _MAX_CELLS


class _Stopped(Exception):
    """HiGHS stopped an LP at the deadline: the node's LP is not solved."""


class _Cuts:
    """The cost table of the candidate units, sorted per row once, and its closed-form cuts."""

    def __init__(self, cost: FloatArray) -> None:
        self.cost = cost  # (candidates, rows)
        self.order = np.argsort(cost, axis=0, kind="stable")
        self.sorted = np.take_along_axis(cost, self.order, axis=0)

    def violated(
        self, u: FloatArray, theta: FloatArray
    ) -> tuple[np.ndarray, FloatArray, FloatArray]:
        """Per violated row: its level D and coefficients D − C_ir (where C_ir < D)."""
        reached = np.cumsum(u[self.order], axis=0) >= 1.0 - 1e-9
        # no unit reaches 1 (only the master's tolerance): the last level's cut is valid too
        level = np.where(reached.any(axis=0), reached.argmax(axis=0), len(u) - 1)
        rows = np.arange(self.cost.shape[1])
        d = self.sorted[level, rows]
        coef = np.maximum(d[None, :] - self.cost, 0.0)
        gap = d - u @ coef - theta
        bad = np.flatnonzero(gap > _VIOLATION * np.maximum(1.0, np.abs(d)))
        return bad, d[bad], coef[:, bad]


class _Master:
    """The master LP: candidate units, one θ per row, and the cuts added so far."""

    def __init__(self, table: SwapSearch, cand: np.ndarray, threads: int, deadline: float) -> None:
        self.m, self.n = len(cand), table.cost.shape[1]
        self.cuts = _Cuts(table.cost[cand])
        self.h, _ = new_highs(threads=threads, deadline=deadline)
        m, n = self.m, self.n
        self.h.addVars(m + n, np.zeros(m + n), np.r_[np.ones(m), np.full(n, _INF)])
        self.h.changeColsCost(m + n, np.arange(m + n, dtype=np.int32),
                              np.r_[table.fixed[cand], np.ones(n)])  # fmt: skip
        limit = table.limit if table.limit is not None else m
        self.h.addRow(1.0, float(limit), m, np.arange(m, dtype=np.int32), np.ones(m))
        self.units = np.arange(m, dtype=np.int32)

    def add(self, rows: np.ndarray, level: FloatArray, coef: FloatArray) -> None:
        """Add the cuts θ_r + Σ coef_i·u_i ≥ D_r."""
        if len(rows) == 0:
            return
        starts, index, value = [], [], []
        at = 0
        for k, r in enumerate(rows):
            nz = np.flatnonzero(coef[:, k] > 0)
            starts.append(at)
            index.append(np.r_[nz, self.m + r])
            value.append(np.r_[coef[nz, k], 1.0])
            at += len(nz) + 1
        self.h.addRows(len(rows), level, np.full(len(rows), _INF), at,
                       np.asarray(starts, dtype=np.int32),
                       np.concatenate(index).astype(np.int32), np.concatenate(value))  # fmt: skip

    def solve(self, lo: FloatArray, hi: FloatArray) -> tuple[float, FloatArray, FloatArray] | None:
        """The LP at these unit bounds: objective, point, unit reduced costs; None if infeasible.

        Raises `_Stopped` when HiGHS stops it unsolved (the deadline).
        """
        self.h.changeColsBounds(self.m, self.units, lo, hi)
        self.h.run()
        status = self.h.getModelStatus()
        # highspy enum values are not singletons: compare with ==, never `is`
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise _Stopped
        solution = self.h.getSolution()
        point = np.asarray(solution.col_value)
        reduced = np.asarray(solution.col_dual)[: self.m]
        return float(self.h.getInfo().objective_function_value), point, reduced

    def cut_loop(
        self,
        lo: FloatArray,
        hi: FloatArray,
        cutoff: float,
        rounds: int,
        core: FloatArray | None = None,
    ) -> tuple[float, FloatArray, FloatArray] | None:
        """Solve, cut, again: until nothing is violated, the bound passes `cutoff`, or it stalls.

        With `core`, cuts are separated at the midpoint of the LP point and the core point
        (the core moving towards the LP points), and at the LP point when that finds none.
        """
        last, stalled = -np.inf, 0
        for _ in range(rounds):
            solved = self.solve(lo, hi)
            if solved is None or solved[0] >= cutoff:
                return solved
            value, point, _ = solved
            u, theta = point[: self.m], point[self.m :]
            found = 0
            if core is not None:
                found = self.separate(0.5 * (u + core), theta)
                core = 0.5 * (core + u)
            if found == 0 and self.separate(u, theta) == 0:
                return solved
            stalled = stalled + 1 if value - last <= _STALL * max(1.0, abs(value)) else 0
            if stalled >= _STALL_ROUNDS:
                return solved
            last = value
        return self.solve(lo, hi)

    def separate(self, u: FloatArray, theta: FloatArray) -> int:
        """Add the cuts violated at (u, θ); how many."""
        rows, level, coef = self.cuts.violated(u, theta)
        self.add(rows, level, coef)
        return len(rows)

    def binding(self) -> list[tuple[int, float, np.ndarray, np.ndarray]]:
        """The cuts with a nonzero dual at the last LP: (row, level, units, coefficients)."""
        duals = np.asarray(self.h.getSolution().row_dual)
        keep = (np.flatnonzero(np.abs(duals[1:]) > 1e-9) + 1).astype(np.int32)
        if len(keep) == 0:
            return []
        _, _, lower, _, nnz = self.h.getRows(len(keep), keep)
        _, starts, index, value = self.h.getRowsEntries(len(keep), keep)
        ends = np.r_[starts[1:], nnz]
        out = []
        for k in range(len(keep)):
            idx, val = index[starts[k] : ends[k]], value[starts[k] : ends[k]]
            unit = idx < self.m
            out.append((int(idx[~unit][0]) - self.m, float(lower[k]), idx[unit], val[unit]))
        return out


def solve(
    table: SwapSearch,
    incumbent: BoolArray,
    deadline: float,
    gap: float,
    threads: int,
    report: Callable[[float, float], bool] | None = None,
) -> Outcome:
    """Prove `incumbent` optimal over unit sets, or find a better set, until `deadline`.

    `gap` is the relative gap that counts as proven; `report(cost, bound)` is called now and then
    and ends the search when it returns True.
    """
    search = _Search(table, incumbent, gap)
    cand = np.flatnonzero(table.allowed)
    try:
        root = _Master(table, cand, threads, deadline)
        lo, hi = table.forced[cand].astype(np.float64), np.ones(len(cand))
        start = incumbent[cand].astype(np.float64)
        root.add(*root.cuts.violated(start, np.zeros(root.n)))
        solved = root.cut_loop(lo, hi, np.inf, _ROOT_ROUNDS, core=start)
    except _Stopped:
        return search.outcome(-np.inf, [(-np.inf,)], 0, stopped=True)
    if solved is None:  # no unit set at all: the caller's plan says otherwise, so say nothing
        return search.outcome(-np.inf, [(-np.inf,)], 0, stopped=True)
    bound, _, reduced = solved
    # reduced-cost fixing: a unit whose reduced cost lifts the root past the cutoff is in no
    # better set; the master keeps the others and the cuts that bind, restricted to them
    keep = (bound + reduced < search.cutoff()) | (lo > 0)
    local = np.cumsum(keep) - 1
    master = _Master(table, cand[keep], threads, deadline)
    for row, level, units, values in root.binding():
        inside = keep[units]
        coef = np.zeros((master.m, 1))
        coef[local[units[inside]], 0] = values[inside]
        master.add(np.array([row]), np.array([level]), coef)
    log.info("benders: root bound %.8g, plan %.8g, %d of %d units left", bound, search.cost,
             int(keep.sum()), len(cand))  # fmt: skip
    return search.branch(master, cand[keep], bound, deadline, report)


class _Search:
    """The best unit set so far, the cutoff it sets, and the best-bound tree over candidates."""

    def __init__(self, table: SwapSearch, incumbent: BoolArray, gap: float) -> None:
        self.table, self.gap = table, gap
        self.best, self.cost = incumbent.copy(), table.total(incumbent)
        self.integral = _integral(table)

    def cutoff(self) -> float:
        """A node whose bound reaches this holds no set better than the best by the gap."""
        if self.integral:
            # every set costs a whole number, so a better one costs at most cost − 1, and its
            # nodes' LPs at most that; half a unit of room keeps LP tolerances out of the proof
            return self.cost - 0.5
        return self.cost - 0.5 * self.gap * max(1.0, abs(self.cost))

    def floor(self) -> float:
        """What every set dropped so far (fixed out, pruned) costs at least.

        A dropped node's LP reached the cutoff; its true LP optimum may lie below by HiGHS's
        tolerances (1e-7 on rows and duals): a whole unit when costs are whole, 1e-9 otherwise.
        """
        if self.integral:
            return self.cost
        return self.cutoff() - 1e-9 * max(1.0, abs(self.cost))

    def offer(self, cand: np.ndarray, on: BoolArray) -> None:
        """Keep the candidates' set `on` (with the forced units) when it is cheaper."""
        full = np.zeros(len(self.table.fixed), dtype=np.bool_)
        full[cand[on]] = True
        full |= self.table.forced
        cost = self.table.total(full)
        if cost < self.cost:
            self.best, self.cost = full, cost
            log.info("benders: better plan %.8g", cost)

    def outcome(self, root: float, heap: list, nodes: int, *, stopped: bool) -> Outcome:
        """The search's result: its bound is the least of the open nodes and of what was dropped."""
        bound = min([node[0] for node in heap] + [self.floor()])
        bound = min(max(bound, root), self.cost)
        log.info("benders: %d nodes, plan %.8g, bound %.8g", nodes, self.cost, bound)
        return Outcome(self.best, self.cost, bound, nodes, stopped)

    def branch(
        self,
        master: _Master,
        cand: np.ndarray,
        root: float,
        deadline: float,
        report: Callable[[float, float], bool] | None,
    ) -> Outcome:
        """Best-bound branch and bound over the candidates, cutting at every node."""
        limit = self.table.limit
        first = (root, 0, self.table.forced[cand].astype(np.float64), np.ones(len(cand)))
        heap: list[tuple[float, int, FloatArray, FloatArray]] = [first]
        made, nodes, last_report = 1, 0, time.monotonic()
        while heap:
            if time.monotonic() >= deadline:
                return self.outcome(root, heap, nodes, stopped=True)
            node = heapq.heappop(heap)
            if node[0] >= self.cutoff():
                continue
            try:
                solved = master.cut_loop(node[2], node[3], self.cutoff(), _NODE_ROUNDS)
            except _Stopped:
                heapq.heappush(heap, node)  # its parent's bound still holds
                return self.outcome(root, heap, nodes, stopped=True)
            nodes += 1
            if solved is None or solved[0] >= self.cutoff():
                continue
            value, point, _ = solved
            u = point[: master.m]
            self.offer(cand, _rounded(u, limit))
            fractional = np.flatnonzero((u > 1e-6) & (u < 1 - 1e-6))
            if len(fractional) == 0:
                # a whole unit set: a leaf once no cut is violated there (the loop may have
                # stopped on a stalled bound), else back to the queue to be cut further
                self.offer(cand, u > 0.5)
                if master.separate(np.round(u), point[master.m :]) > 0:
                    heapq.heappush(heap, (value, made, node[2], node[3]))
                    made += 1
                continue
            j = fractional[np.argmin(np.abs(u[fractional] - 0.5))]  # the most fractional unit
            for side in (1.0, 0.0):
                lo, hi = node[2].copy(), node[3].copy()
                lo[j] = hi[j] = side
                heapq.heappush(heap, (value, made, lo, hi))
                made += 1
            if report is not None and time.monotonic() - last_report >= _REPORT_EVERY_S:
                last_report = time.monotonic()
                if report(self.cost, max(root, min(heap[0][0], self.floor()))):
                    return self.outcome(root, heap, nodes, stopped=True)
        return self.outcome(root, heap, nodes, stopped=False)


def _rounded(u: FloatArray, limit: int | None) -> BoolArray:
    """A unit set near the LP point: its `limit` largest units, or those at least one half."""
    if limit is None:
        on = u >= 0.5
        if not on.any():
            on[int(np.argmax(u))] = True
        return on
    on = np.zeros(len(u), dtype=np.bool_)
    on[np.argsort(-u, kind="stable")[:limit]] = True
    return on & (u > 1e-9) if (u > 1e-9).any() else on


def _integral(table: SwapSearch) -> bool:
    """Whether every unit set costs a whole number (then a better set is at least 1 cheaper)."""
    values = np.concatenate([table.cost.ravel(), table.fixed[np.isfinite(table.fixed)]])
    return bool(np.all(values == np.round(values))) and float(np.abs(values).max()) < 2**52
