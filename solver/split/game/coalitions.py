"""The fast path to c(S): the grand coalition's model, restricted to each coalition in place.

`restrict.restrict(instance, S)` defines c(S) (SPEC §5); solving it builds a model per coalition.
`CoalitionSolver` builds the grand coalition's `MatrixModel` once, and each coalition's model is
the same matrix under other bounds and, in the proportional game, other capacity coefficients
(`CoalitionModel.restricted`). Tests prove both give the same c(S) on every coalition.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from solver.backends.highs import parameters
from solver.backends.highs.backend import LARGE_MODEL, solve_highs
from solver.backends.outcome import proof_holds
from solver.instance import Instance
from solver.model.continuity import member_min_clients
from solver.model.data import FloatArray, ModelData, build_data
from solver.model.families import (
    ASSIGNMENT_BOUND,
    CAPACITY,
    COVERAGE,
    DEMAND,
    MAX_SHARE,
    MIN_CLIENTS,
    MOVED,
    MOVED_CLIENTS,
    MOVED_UNLESS_CONTRACTED,
    N_MINUS_1,
    N_MINUS_1_LARGEST,
    UNIT_IN_MUNICIPALITY,
    V,
    X,
    Y,
    per_lot,
)
from solver.model.formulation import build_model
from solver.model.matrix import INF, MatrixModel
from solver.options import SolveOptions
from solver.result import Status

# Coalition values are compared across coalitions (marginal costs), so each must be the optimum,
# not a point within the solve default's 1e-6 (which is ~€40 on a €40M region).
GAME_GAP = 1e-9


@dataclass(frozen=True, slots=True)
class CoalitionValue:
    """c(S) of one coalition and how sure it is.

    status: `optimal` (proven), `feasible` (time limit: not proven), `infeasible` (proven), or
    `no_solution` (time limit, nothing found).
    """

    mask: int
    status: str
    cost: float | None  # the optimal objective (SPEC §3); None without a solution
    bound: float | None = None  # the proven lower bound when not optimal
    reason: str | None = None  # why an infeasible coalition is infeasible, when known cheaply


class CoalitionModel:
    """The grand coalition's model and the bound arithmetic that restricts it to any coalition."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.data: ModelData = build_data(instance)
        # A small model drops the implied rows x ≤ bound·y (same c(S), faster: see build_model);
        # a large one keeps them, as the decomposition path of the HiGHS backend is built on them.
        small = len(self.data.row_bound) < LARGE_MODEL
        self.model: MatrixModel = build_model(self.data, disaggregated=not small)
        d, mdl = self.data, self.model
        self.n = len(d.municipality_ids)
        families = dict(mdl.families)
        self._families = families
        xs = mdl.blocks[X]
        self.x_cols = np.arange(xs.start, xs.stop)
        self.x_mun = d.row_municipality
        lot_of_care = d.care_lot
        n_l = len(d.lot_ids)
        self.clients = np.zeros((self.n, n_l), dtype=np.int64)  # (M, L)
        for li in range(n_l):
            self.clients[:, li] = d.demand[:, lot_of_care == li].sum(axis=1)
        # demand rows hold only x columns of one municipality: read it off the matrix
        self.demand_rows, self.demand_mun = self._rows_of(DEMAND, xs.start)
        self.cover_rows = self._range(COVERAGE)
        cells = np.flatnonzero(d.coverage_cells.ravel())
        self.cover_mun = cells // len(d.care_type_ids)
        if len(self.cover_rows) != len(cells):
            raise RuntimeError("coverage rows do not match the coverage cells: formulation changed")
        self.moved_cols = np.zeros(0, np.int64)
        if MOVED in mdl.blocks:
            mv = mdl.blocks[MOVED]
            self.moved_cols = np.arange(mv.start, mv.stop)
        self.moved_mun = d.incumbent_municipality
        # each transfer family has one row per incumbent record, in record order
        transfer_rows = [self._range(f) for f in (MOVED_CLIENTS, MOVED_UNLESS_CONTRACTED)]
        transfer_rows = [rows for rows in transfer_rows if len(rows)]
        if any(len(rows) != len(self.moved_mun) for rows in transfer_rows):
            raise RuntimeError("transfer rows do not match the incumbents: formulation changed")
        self.moved_rows = np.concatenate([np.zeros(0, np.int64), *transfer_rows])
        self.moved_row_mun = np.tile(self.moved_mun, len(transfer_rows))
        # N−1 rows: the region's demand of a care type becomes the coalition's
        self.n_minus_1 = [
            (int(rows[0]), c)
            for c, care in enumerate(d.care_type_ids)
            if len(rows := self._range(per_lot(N_MINUS_1, care)))
        ]
        self.proportional = instance.policy.cost_split.capacity == "proportional"
        if self.proportional:
            self._find_capacity_entries()

    def _find_capacity_entries(self) -> None:
        """Where the model holds each capacity: the matrix entries and columns it scales.

        capacity rows Σx − cap·y ≤ 0 (one per member offer), min_clients rows Σx − min·y ≥ 0
        (members with a minimum), the implied x − bound·y and x − bound·v rows, and the flows'
        upper bounds, with bound = min(capacity, demand).
        """
        d, mdl = self.data, self.model
        ys = mdl.blocks[Y]
        self.member_care = d.offer_care[d.member_offer]
        self.member_cap = d.offer_capacity[d.member_offer].astype(np.int64)
        self.member_min = member_min_clients(d)  # none in an Open House lot
        self.cap_entries = _entries(mdl, self._range(CAPACITY), ys.start, ys.stop)
        self.min_members = np.flatnonzero(self.member_min > 0)
        self.min_entries = _entries(mdl, self._range(MIN_CLIENTS), ys.start, ys.stop)
        self.row_demand = d.demand[d.row_municipality, d.row_care]
        # implied rows: one per flow, in flow order within the family (entries of its switch)
        self.bound_entries: list[tuple[np.ndarray, np.ndarray]] = []
        if len(self._range(ASSIGNMENT_BOUND)):
            entries = _entries(mdl, self._range(ASSIGNMENT_BOUND), ys.start, ys.stop)
            self.bound_entries.append((entries, np.arange(len(d.row_member))))
        for li, lot in enumerate(self.instance.lots):
            rows = self._range(per_lot(UNIT_IN_MUNICIPALITY, lot.id))
            if len(rows):
                v = mdl.blocks[per_lot(V, lot.id)]
                flows = np.flatnonzero(d.row_lot == li)
                self.bound_entries.append((_entries(mdl, rows, v.start, v.stop), flows))
        # N−1 rows hold each option's capacity: +cap in Σ cap·y − M ≥ D, −cap in M − cap·y ≥ 0
        self.option_entries: list[tuple[np.ndarray, np.ndarray, float]] = []
        a = mdl.matrix
        for row, c in self.n_minus_1:
            span = np.arange(a.indptr[row], a.indptr[row + 1])
            hit = span[(a.indices[span] >= ys.start) & (a.indices[span] < ys.stop)]
            self.option_entries.append((hit, a.indices[hit] - ys.start, 1.0))
            largest = self._range(per_lot(N_MINUS_1_LARGEST, d.care_type_ids[c]))
            entries = _entries(mdl, largest, ys.start, ys.stop)
            self.option_entries.append((entries, a.indices[entries] - ys.start, -1.0))

    def shared_capacity(self, inside: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(member offers,) capacity and min_clients of the coalition (the proportional game)."""
        total = self.data.demand.sum(axis=0)[self.member_care]
        mine = self.data.demand[inside].sum(axis=0)[self.member_care]
        has = total > 0
        safe = np.maximum(total, 1)
        cap = np.where(has, (self.member_cap * mine + safe - 1) // safe, 0)
        low = np.where(has, (self.member_min * mine) // safe, 0)
        return cap, low

    def restricted(self, mask: int) -> MatrixModel:
        """The model of coalition `mask`: the grand model under its bounds and capacities."""
        col_lo, col_hi, row_lo, row_hi = self.bounds(mask)
        mdl = self.model
        if not self.proportional:
            return dataclasses.replace(
                mdl, col_lo=col_lo, col_hi=col_hi, row_lo=row_lo, row_hi=row_hi
            )
        cap, low = self.shared_capacity(self.in_coalition(mask))
        data = mdl.matrix.data.copy()
        data[self.cap_entries] = -cap
        data[self.min_entries] = -low[self.min_members]
        bound = np.minimum(cap[self.data.row_member], self.row_demand).astype(np.float64)
        for entries, flows in self.bound_entries:
            data[entries] = -bound[flows]
        if self.option_entries:
            options = np.bincount(
                self.data.member_option, cap.astype(np.float64), minlength=mdl.blocks[Y].stop
            )
            for entries, option, sign in self.option_entries:
                data[entries] = sign * options[option]
        col_hi[self.x_cols] = np.minimum(col_hi[self.x_cols], bound)
        a = mdl.matrix
        matrix = sp.csr_matrix((data, a.indices, a.indptr), shape=a.shape)
        return dataclasses.replace(
            mdl, matrix=matrix, col_lo=col_lo, col_hi=col_hi, row_lo=row_lo, row_hi=row_hi
        )

    def _range(self, family: str) -> np.ndarray:
        """Row indices of one family (empty when the model has none)."""
        rows = self._families.get(family)
        return np.zeros(0, np.int64) if rows is None else np.arange(rows.start, rows.stop)

    def _rows_of(self, family: str, x_start: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows of a family of x-only rows, and the municipality of each row's first x."""
        rows = self._range(family)
        a = self.model.matrix
        first = a.indices[a.indptr[rows]] if len(rows) else np.zeros(0, np.int64)
        return rows, self.x_mun[first - x_start]

    def in_coalition(self, mask: int) -> np.ndarray:
        """(M,) bool: municipality i is in the coalition."""
        return (mask >> np.arange(self.n)) & 1 == 1

    def shares(self, inside: np.ndarray) -> FloatArray:
        """(L,) the coalition's share of each lot's clients (as `lot_shares`)."""
        total = self.clients.sum(axis=0)
        mine = self.clients[inside].sum(axis=0)
        pop = self.data.population
        fallback = pop[inside].sum() / pop.sum() if pop.sum() > 0 else inside.sum() / self.n
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, mine / np.maximum(total, 1), fallback)

    def bounds(self, mask: int) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Column and row bounds that turn the grand model into coalition `mask`'s model."""
        mdl, inside = self.model, self.in_coalition(mask)
        col_lo, col_hi = mdl.col_lo.copy(), mdl.col_hi.copy()
        row_lo, row_hi = mdl.row_lo.copy(), mdl.row_hi.copy()
        col_hi[self.x_cols[~inside[self.x_mun]]] = 0.0  # no clients outside S
        col_hi[self.moved_cols[~inside[self.moved_mun]]] = 0.0  # their incumbents are not S's
        out = self.demand_rows[~inside[self.demand_mun]]
        row_lo[out] = row_hi[out] = 0.0
        row_lo[self.cover_rows[~inside[self.cover_mun]]] = -INF
        row_lo[self.moved_rows[~inside[self.moved_row_mun]]] = -INF
        for row, c in self.n_minus_1:
            row_lo[row] = float(self.data.demand[inside, c].sum())
        shares = self.shares(inside)
        clients = self.clients[inside].sum(axis=0)
        for li, lot in enumerate(self.instance.lots):
            if lot.max_share is not None:
                rows = self._range(per_lot(MAX_SHARE, lot.id))
                row_hi[rows] = np.floor(lot.max_share * clients[li] + 1e-9)
            for family, base in (("task_budget", lot.task_budget), ("budget_cap", lot.budget_cap)):
                rows = self._range(f"{family}[{lot.id}]")
                if len(rows) and base is not None:
                    row_hi[rows] = base * float(shares[li])
        return col_lo, col_hi, row_lo, row_hi

    def budget_clash(self, mask: int) -> str | None:
        """Budget rules the model has no rows for (they do not depend on the plan), for S."""
        inside = self.in_coalition(mask)
        shares = self.shares(inside)
        clients = self.clients[inside].sum(axis=0)
        in_lot = np.bincount(self.data.care_lot, minlength=len(self.instance.lots)) > 0
        for li, lot in enumerate(self.instance.lots):
            if lot.budget_cap is None:
                continue
            cap = lot.budget_cap * float(shares[li])
            if lot.funding == "task_based" and lot.task_budget is not None and clients[li] > 0:
                if lot.task_budget * float(shares[li]) > cap * (1 + 1e-9):
                    return f"lot {lot.id} pays out its whole task_budget, above its budget_cap"
            elif lot.funding == "population_based" and lot.population_rate is not None:
                payout = lot.population_rate * float(self.data.population[inside].sum())
                if in_lot[li] and payout > cap * (1 + 1e-9):
                    return (
                        f"lot {lot.id} pays €{payout:,.2f} for the coalition's youth; its "
                        f"budget_cap scaled to the coalition's clients is €{cap:,.2f}"
                    )
        return None


class CoalitionSolver:
    """Solves coalitions of one grand model: each is the same arrays with its own bounds.

    Every coalition goes through the product's own HiGHS path (`solve_highs`: client flows
    continuous first, repaired to integers when needed, `optimal` only at the proven gap), so a
    coalition's value is exactly what `solve` would prove for the restricted instance. That path
    beat one persistent HiGHS object re-bounded per coalition by 2.5x on Achterhoek (13.7 s to
    5.6 s for 30 coalitions, identical values): a fresh model costs less than integer flows.
    The LP-guided start of the single solve (`solver.backends.highs.guided_start`) pays in the
    proportional game, where capacities bind (40 random coalitions, same values: Achterhoek 12.6
    → 10.8 s, Eemland 10.6 → 5.6 s, Groningen 18.7 → 17.3 s), and not in the full game (Achterhoek
    6.8 → 7.7 s, Eemland 7.1 → 6.8 s; before, 20 Achterhoek coalitions 4.1 → 5.1 s): it is used
    in the proportional game only.
    """

    def __init__(self, instance: Instance, *, threads: int = 1, seed: int = 0) -> None:
        self.game = CoalitionModel(instance)
        self.threads, self.seed = threads, seed

    def reset(self) -> None:
        """Nothing carries over between coalitions; kept so engines can treat solvers alike."""

    def solve(
        self, mask: int, *, time_limit_s: float = INF, start: np.ndarray | None = None
    ) -> tuple[CoalitionValue, np.ndarray | None]:
        """c(mask), proven optimal unless the time limit hits; and the solution's values.

        `start` (a neighbour's plan) is not used: it was measured slower as a warm start.
        """
        game, model = self.game, self.game.model
        clash = game.budget_clash(mask)
        if clash is not None:
            return CoalitionValue(mask, "infeasible", None, reason=clash), None
        if model.n_cols == 0:
            return CoalitionValue(mask, "optimal", 0.0), np.zeros(0)
        restricted = game.restricted(mask)
        options = SolveOptions(
            gap=GAME_GAP,
            time_limit_s=max(time_limit_s, 1e-3),
            threads=self.threads,
            seed=self.seed,
        )
        outcome = solve_highs(
            restricted, options, None, guided=game.proportional, tuning=parameters.GAME
        )
        outcome = proof_holds(outcome, restricted, GAME_GAP)
        values = None if outcome.values is None else np.rint(outcome.values)
        cost = math.fsum(model.cost * values) if values is not None else None
        if outcome.status is Status.OPTIMAL:
            return CoalitionValue(mask, "optimal", cost), values
        if outcome.status is Status.INFEASIBLE:
            return CoalitionValue(mask, "infeasible", None), None
        status = "feasible" if values is not None else "no_solution"
        return CoalitionValue(mask, status, cost, outcome.bound), values


def solve_batch(
    solver: CoalitionSolver,
    masks: Sequence[int],
    *,
    deadline: float = INF,
    warm: bool = True,
    stop: Callable[[], bool] | None = None,
) -> list[CoalitionValue]:
    """Solve a batch of coalitions in order on one solver, each warm-started from the previous.

    The solver is reset first, so the answers depend only on the batch, never on which worker
    ran it or what it ran before: the same instance gives the same values on every engine.
    Past `deadline`, or once `stop()` says so, the rest of the batch is `no_solution`.
    """
    solver.reset()
    out: list[CoalitionValue] = []
    previous: np.ndarray | None = None
    for mask in masks:
        remaining = deadline - time.time()
        if remaining <= 0 or (stop is not None and stop()):
            out.append(CoalitionValue(mask, "no_solution", None))
            continue
        value, values = solver.solve(mask, time_limit_s=remaining, start=previous if warm else None)
        out.append(value)
        if values is not None:
            previous = values
    return out


def _entries(model: MatrixModel, rows: np.ndarray, start: int, stop: int) -> np.ndarray:
    """For each row, the position in `model.matrix.data` of its one entry in columns [start, stop).

    Raises when a row has none or several (the formulation changed under the game).
    """
    a = model.matrix
    if len(rows) == 0:
        return np.zeros(0, np.int64)
    lengths = a.indptr[rows + 1] - a.indptr[rows]
    positions = np.repeat(a.indptr[rows], lengths) + (
        np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    cols = a.indices[positions]
    hit = (cols >= start) & (cols < stop)
    owner = np.repeat(np.arange(len(rows)), lengths)
    if np.bincount(owner[hit], minlength=len(rows)).max(initial=1) != 1 or hit.sum() != len(rows):
        raise RuntimeError("a capacity row has no single switch: formulation changed")
    found = np.zeros(len(rows), dtype=np.int64)
    found[owner[hit]] = positions[hit]
    return found
