"""SPEC §5 `shapley`: the cost c(S) of a coalition S of municipalities, two ways.

- `restrict(instance, S)` is the reference definition: the instance restricted to S (S's demand,
  population and incumbents; providers keep only S's municipalities; `task_budget` and
  `budget_cap` scaled by S's share of the lot's clients; other policy unchanged). Solving it with
  `solver.solve.solve` gives c(S). Used by tests and to explain an infeasible coalition.
- `CoalitionSolver` is the fast path: the grand coalition's `MatrixModel` is built once, and each
  coalition's model is the same matrix under other bounds (`CoalitionModel.bounds`), solved by one
  persistent HiGHS object. Tests prove both give the same c(S) on every coalition.

A coalition is a bit mask over `municipalities[]` (bit i = municipality i).

A lot with no clients in the whole region has no client share; its budgets are then scaled by S's
share of the youth population (by the share of municipalities when that is 0 too), so that the
restricted instance is feasible exactly when the region's is on that lot.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from solver.backends.highs import parameters
from solver.backends.highs.backend import LARGE_MODEL, solve_highs
from solver.backends.outcome import proof_holds
from solver.instance import CostSplit, Instance
from solver.model.data import FloatArray, ModelData, build_data
from solver.model.families import (
    COVERAGE,
    DEMAND,
    MAX_SHARE,
    MOVED,
    MOVED_CLIENTS,
    MOVED_UNLESS_CONTRACTED,
    X,
    per_lot,
)
from solver.model.formulation import build_model
from solver.model.matrix import INF, MatrixModel
from solver.options import SolveOptions
from solver.result import Status

# Coalition values are compared across coalitions (marginal costs), so each must be the optimum,
# not a point within the solve default's 1e-6 (which is ~€40 on a €40M region).
GAME_GAP = 1e-9



def members_of(mask: int, ids: Sequence[str]) -> list[str]:
    """Municipality ids in coalition `mask`, in `municipalities[]` order."""
    return [m for i, m in enumerate(ids) if mask >> i & 1]


def mask_of(members: Collection[str], ids: Sequence[str]) -> int:
    """Bit mask of a set of municipality ids."""
    keep = set(members)
    return sum(1 << i for i, m in enumerate(ids) if m in keep)


def lot_shares(instance: Instance, members: Collection[str]) -> list[float]:
    """S's share of each lot's clients (population share for a lot without clients)."""
    keep = set(members)
    lot_of = {c.id: c.lot for c in instance.care_types}
    total = {lot.id: 0 for lot in instance.lots}
    mine = dict(total)
    for d in instance.demand:
        total[lot_of[d.care_type]] += d.clients
        if d.municipality in keep:
            mine[lot_of[d.care_type]] += d.clients
    pop = sum(m.youth_population for m in instance.municipalities)
    pop_s = sum(m.youth_population for m in instance.municipalities if m.id in keep)
    n, n_s = len(instance.municipalities), sum(m.id in keep for m in instance.municipalities)
    fallback = pop_s / pop if pop > 0 else n_s / n
    return [
        mine[lot.id] / total[lot.id] if total[lot.id] > 0 else fallback for lot in instance.lots
    ]


def restrict(instance: Instance, members: Collection[str]) -> Instance:
    """The instance restricted to the coalition `members` (SPEC §5 `shapley`, the reference).

    The restricted instance's own split rule is `usage`: its split is never used, and a
    `shapley` rule there would recurse.
    """
    keep = set(members)
    shares = lot_shares(instance, keep)
    lots = [
        lot.model_copy(
            update={
                "task_budget": None if lot.task_budget is None else lot.task_budget * share,
                "budget_cap": None if lot.budget_cap is None else lot.budget_cap * share,
            }
        )
        for lot, share in zip(instance.lots, shares, strict=True)
    ]
    providers = [
        p.model_copy(
            update={
                "municipalities": None
                if p.municipalities is None
                else [m for m in p.municipalities if m in keep],
                "access_cost": {m: v for m, v in p.access_cost.items() if m in keep},
                "incumbent": [r for r in p.incumbent if r.municipality in keep],
            }
        )
        for p in instance.providers
    ]
    return instance.model_copy(
        update={
            "name": f"{instance.name} [{', '.join(sorted(keep))}]",
            "municipalities": [m for m in instance.municipalities if m.id in keep],
            "demand": [d for d in instance.demand if d.municipality in keep],
            "lots": lots,
            "providers": providers,
            "policy": instance.policy.model_copy(update={"cost_split": CostSplit(rule="usage")}),
        }
    )


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
    The LP-guided start of the single solve (`solver.backends.highs.guided_start`) is left out: per
    coalition it costs more than it saves (20 Achterhoek coalitions 4.1 → 5.1 s).
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
        col_lo, col_hi, row_lo, row_hi = game.bounds(mask)
        restricted = dataclasses.replace(
            model, col_lo=col_lo, col_hi=col_hi, row_lo=row_lo, row_hi=row_hi
        )
        options = SolveOptions(
            gap=GAME_GAP,
            time_limit_s=max(time_limit_s, 1e-3),
            threads=self.threads,
            seed=self.seed,
        )
        outcome = solve_highs(restricted, options, None, guided=False, tuning=parameters.GAME)
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
