"""Free flows projected out: the set-cover form of a model whose flows cost nothing.

When every flow costs nothing, can carry its whole demand row, and no member's capacity can ever
bind (its capacity covers every demand row it reaches), the flows only ask that each demand row
has an option switched on that reaches it. The model is then equivalent to the one without flows,
demand, capacity and per-flow rows, with one row per demand row instead:

    Σ_{options y with a flow into row j} y ≥ 1.

Every plan of either gives a plan of the other at the same cost (flows add nothing to it): the
flows of a plan are read back by sending each row's clients along its first flow whose option is
on. This is the OR-Library set-cover mapping undone (259k flow columns back to 5,000 sets), so
HiGHS sees the plain set-cover model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from solver.backends.highs.decomposition.skeleton import facility_structure
from solver.backends.highs.flows import solve_model
from solver.backends.highs.parameters import HighsValue
from solver.backends.outcome import BackendOutcome
from solver.model.data import IntArray
from solver.model.families import ASSIGNMENT_BOUND, CAPACITY, DEMAND
from solver.model.matrix import MatrixModel
from solver.options import ProgressCallback, SolveOptions

_FLOW_ROWS = (DEMAND, CAPACITY, ASSIGNMENT_BOUND)
SERVED = "served"


@dataclass(frozen=True, eq=False)
class Projected:
    """The model without flows, and what it takes to read the flows back."""

    model: MatrixModel
    kept: IntArray  # original column of each projected column
    n_original: int
    flow: IntArray  # original column of every usable flow, by demand row then column
    flow_row: IntArray
    flow_switch: IntArray  # original column of each flow's option
    need: np.ndarray

    def expand(self, values: np.ndarray) -> np.ndarray:
        """A plan of the original model: each row's clients along its first flow that is on."""
        full = np.zeros(self.n_original)
        full[self.kept] = values
        on = full[self.flow_switch] > 0.5
        candidates = np.flatnonzero(on)
        rows = self.flow_row[candidates]
        first = np.ones(len(candidates), dtype=np.bool_)
        first[1:] = rows[1:] != rows[:-1]
        chosen = candidates[first]
        full[self.flow[chosen]] = self.need[self.flow_row[chosen]]
        return full

    def shrink(self, values: np.ndarray) -> np.ndarray:
        """A point of the original model without its flows."""
        return values[self.kept]


def solve_projected(
    model: MatrixModel,
    options: SolveOptions,
    on_progress: ProgressCallback | None,
    *,
    start: np.ndarray | None = None,
    tuning: Mapping[str, HighsValue] | None = None,
    deadline: float | None = None,
) -> BackendOutcome:
    """`flows.solve_model` on the flow-free model when `project` applies, its plan read back."""
    projected = project(model)
    if projected is None:
        return solve_model(model, options, on_progress, start=start, tuning=tuning,
                           deadline=deadline)  # fmt: skip
    outcome = solve_model(
        projected.model,
        options,
        on_progress,
        start=None if start is None else projected.shrink(start),
        tuning=tuning,
        deadline=deadline,
    )
    if outcome.values is None:
        return outcome
    return dataclasses.replace(outcome, values=projected.expand(outcome.values))


def project(model: MatrixModel) -> Projected | None:
    """The flow-free model, or None when a flow costs something or a capacity could bind."""
    s = facility_structure(model)
    if s is None:
        return None
    usable = model.col_hi[s.x] > 0
    flows = np.flatnonzero(usable)
    need = s.need
    if np.any(model.cost[s.x] != 0) or np.any(s.x_ub[flows] < need[s.x_row[flows]]):
        return None
    reach = np.bincount(s.x_member[flows], need[s.x_row[flows]], minlength=len(s.member_cap))
    if np.any(reach > s.member_cap):
        return None  # a capacity that could bind
    flow_rows = np.zeros(model.n_rows, dtype=np.bool_)
    for name, rows in model.families:
        if name in _FLOW_ROWS:
            flow_rows[rows] = True
    touched = model.matrix.tocsc()[:, s.x].tocoo().row
    if np.any(~flow_rows[touched]):
        return None  # a flow in another rule (a budget, a share, ...)
    is_flow = np.zeros(model.n_cols, dtype=np.bool_)
    is_flow[s.x] = True
    kept = np.flatnonzero(~is_flow)
    position = np.full(model.n_cols, -1, dtype=np.int64)
    position[kept] = np.arange(len(kept))
    switch = s.y[s.member_y[s.x_member]]
    served = sp.csr_matrix(
        (np.ones(len(flows)), (s.x_row[flows], position[switch[flows]])),
        shape=(s.n_rows, len(kept)),
    )
    served.data[:] = 1.0  # two flows of one option into one row count once
    rest = np.flatnonzero(~flow_rows)
    order = np.lexsort((flows, s.x_row[flows]))
    projected = MatrixModel(
        cost=model.cost[kept],
        col_lo=model.col_lo[kept],
        col_hi=model.col_hi[kept],
        matrix=sp.vstack([model.matrix[rest][:, kept], served], format="csr"),
        row_lo=np.concatenate([model.row_lo[rest], np.ones(s.n_rows)]),
        row_hi=np.concatenate([model.row_hi[rest], np.full(s.n_rows, np.inf)]),
        blocks=_blocks(model, is_flow),
        families=[*_families(model, flow_rows), (SERVED, slice(len(rest), len(rest) + s.n_rows))],
        money_rows=np.concatenate([model.money_rows[rest], np.zeros(s.n_rows, np.bool_)]),
    )
    ordered = flows[order]
    return Projected(
        model=projected,
        kept=kept,
        n_original=model.n_cols,
        flow=s.x[ordered],
        flow_row=s.x_row[ordered],
        flow_switch=switch[ordered],
        need=need,
    )


def _blocks(model: MatrixModel, dropped: np.ndarray) -> dict[str, slice]:
    index = np.concatenate([[0], np.cumsum(~dropped)])
    out = {}
    for name, part in model.blocks.items():
        start, stop = int(index[part.start]), int(index[part.stop])
        if stop > start:
            out[name] = slice(start, stop)
    return out


def _families(model: MatrixModel, dropped: np.ndarray) -> list[tuple[str, slice]]:
    index = np.concatenate([[0], np.cumsum(~dropped)])
    out = []
    for name, part in model.families:
        start, stop = int(index[part.start]), int(index[part.stop])
        if stop > start:
            out.append((name, slice(start, stop)))
    return out
