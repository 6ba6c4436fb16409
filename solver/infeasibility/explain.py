"""Explanations of infeasibility that the cheap pre-checks cannot give (SPEC §6).

The rules are grouped as a user states them (`rule_groups`), and a deletion filter over
the groups finds a minimal set that cannot hold together: feasibility models (the `MatrixModel`
with zero objective, a relaxed group's rows dropped) are solved by HiGHS, removing whole chunks of
groups first and single groups last, so that the usual hundreds of irrelevant demand cells cost a
few solves. Then, for each group of that set, the least relaxation that makes the whole instance
feasible with every other rule unchanged ("max_contracts must be at least 64").

Everything runs under one time budget. When it runs out, the set found so far is still a proven
conflict (groups are only ever dropped when the rest stays infeasible), only perhaps not minimal,
and the explanation says so.
"""

from __future__ import annotations

import dataclasses
import logging
import time

import numpy as np
import scipy.sparse as sp

from solver.backends.highs.backend import run_mip
from solver.i18n.messages import E_
from solver.infeasibility.rule_groups import (
    EXACT,
    LEVER_KEYS,
    LOWER,
    NONE,
    UPPER,
    Group,
    build_groups,
)
from solver.instance import Instance
from solver.model.data import ModelData, build_data
from solver.model.formulation import build_model
from solver.model.matrix import MatrixModel
from solver.model.variants import add_column, keep_rows, with_objective
from solver.options import SolveOptions
from solver.result import Status

log = logging.getLogger(__name__)

FEASIBLE, INFEASIBLE, UNKNOWN = "feasible", "infeasible", "unknown"

# Share of the time budget the region's levers may take before the deletion filter starts.
_LEVER_SHARE = 0.5


@dataclasses.dataclass(frozen=True)
class Conflict:
    """A set of rules that cannot hold together, and the least relaxation of each."""

    groups: list[Group]
    minimal: bool  # False when the time budget ran out before every group was tested
    relaxations: list[tuple[str, str]]  # ("fix" | "note", sentence)


class _Tester:
    """Feasibility tests on subsets of groups, all within one deadline."""

    def __init__(self, model: MatrixModel, groups: list[Group], deadline: float, seed: int):
        self.model = with_objective(model, np.zeros(model.n_cols))
        self.groups = groups
        self.deadline = deadline
        self.seed = seed
        self.hard = np.ones(model.n_rows, dtype=np.bool_)
        for g in groups:
            self.hard[g.rows] = False
        self.solves = 0

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def options(self) -> SolveOptions | None:
        left = self.left()
        return None if left < 0.05 else SolveOptions(time_limit_s=left, seed=self.seed)

    def status(self, active: list[int]) -> str:
        """Whether the hard rows plus the rows of the groups in `active` can hold together."""
        options = self.options()
        if options is None:
            return UNKNOWN
        keep = self.hard.copy()
        for i in active:
            keep[self.groups[i].rows] = True
        self.solves += 1
        outcome = run_mip(keep_rows(self.model, keep), options)
        if outcome.status is Status.INFEASIBLE:
            return INFEASIBLE
        return FEASIBLE if outcome.status.has_solution else UNKNOWN


def find_conflict(
    data: ModelData, model: MatrixModel, *, time_limit_s: float, seed: int = 0
) -> Conflict | None:
    """A minimal set of groups that cannot hold together, or None if none is proven in time.

    The caller knows the whole model is infeasible (the solver proved it); the filter never
    re-proves that.
    """
    started = time.monotonic()
    deadline = started + time_limit_s
    groups = build_groups(data, model)
    # the region's own levers first: one that fixes the instance on its own is the answer a
    # region acts on, and the deletion filter below may run out of time on a large instance
    levers = _settled_levers(model, groups, started + _LEVER_SHARE * time_limit_s, seed)
    tester = _Tester(model, groups, deadline, seed)
    active = list(range(len(groups)))
    necessary: set[int] = set()
    complete = True
    size = max(1, len(active) // 2)
    while True:
        candidates = [i for i in active if i not in necessary]
        for start in range(0, len(candidates), size):
            chunk = set(candidates[start : start + size])
            rest = [i for i in active if i not in chunk]
            verdict = tester.status(rest)
            if verdict == INFEASIBLE:
                active = rest
            elif size == 1:
                necessary.update(chunk)
                complete = complete and verdict == FEASIBLE
        if size == 1:
            break
        size = max(1, size // 2)
    log.info("conflict of %d groups found with %d feasibility solves", len(active), tester.solves)
    if not active:
        return None  # the hard rows alone clash: bids contradict themselves (pre-checks say why)
    # a lever that fixes everything on its own lies in every conflict; one found in time stays
    # in the conflict even when the filter ran out of time before it could test it
    conflict = [groups[i] for i in active]
    conflict += [g for g in groups if _fixes_alone(levers.get(g.key)) and g not in conflict]
    # the levers a region holds first (max_contracts, lot rules); single demand figures only
    # when there are few of them, and never a note that one alone does not suffice
    rules = [g for g in reversed(conflict) if g.kind != EXACT]
    demand = [g for g in conflict if g.kind == EXACT]
    relaxations = [
        levers[g.key] if g.key in levers else _least_relaxation(model, g, deadline, seed)
        for g in rules
    ]
    if len(demand) <= 4:
        found = [_least_relaxation(model, g, deadline, seed) for g in demand]
        relaxations += [r for r in found if r[0] == "fix"]
    return Conflict(conflict, complete, [r for r in relaxations if r[1]])


def _settled_levers(
    model: MatrixModel, groups: list[Group], until: float, seed: int
) -> dict[str, tuple[str, str]]:
    """The least relaxation of each region-wide rule, where settled in time (by group key).

    Levers are the policy's and the lots' own numbers (not single demand cells, min_clients or
    one municipality's population budget); each gets an equal share of the time until `until`.
    Settled: a proven least fix, or proof that relaxing the rule alone is not enough; a lever
    left unsettled is relaxed again if it ends up in the conflict.
    """
    levers = [g for g in groups if g.kind != NONE and g.key.startswith(LEVER_KEYS)]
    settled: dict[str, tuple[str, str]] = {}
    for i, group in enumerate(levers):
        share = (until - time.monotonic()) / (len(levers) - i)
        if share < 0.05:
            break
        kind, words = _least_relaxation(model, group, time.monotonic() + share, seed)
        if _fixes_alone((kind, words)) or kind == "note":
            settled[group.key] = (kind, words)
    fixes = sum(_fixes_alone(r) for r in settled.values())
    log.info("levers: %d of %d fix the instance alone", fixes, len(levers))
    return settled


def _fixes_alone(relaxation: tuple[str, str] | None) -> bool:
    """Whether a least relaxation is a proven fix of the whole instance by that rule alone."""
    if relaxation is None:
        return False
    kind, words = relaxation
    return kind == "fix" and bool(words) and "not proven least" not in words


def _least_relaxation(
    model: MatrixModel, group: Group, deadline: float, seed: int
) -> tuple[str, str]:
    """The least change of one group's number that makes the whole model feasible."""
    left = deadline - time.monotonic()
    if group.kind == NONE or left < 0.05:
        return "fix", ""
    rows = group.rows
    base = with_objective(model, np.zeros(model.n_cols))
    lo, hi = base.row_lo.copy(), base.row_hi.copy()
    if group.kind == UPPER:
        hi[rows] = 0.0  # A x − t ≤ 0, minimise t
        t_lo, t_hi, cost = 0.0, float("inf"), 1.0
    elif group.kind == LOWER:
        lo[rows] = 0.0  # A x − t ≥ 0, maximise t ≤ k
        t_lo, t_hi, cost = 0.0, group.bound, -1.0
    else:  # EXACT: A x − t = 0, maximise t ≤ d
        lo[rows] = 0.0
        hi[rows] = 0.0
        t_lo, t_hi, cost = 0.0, group.bound, -1.0
    relaxed = dataclasses.replace(base, row_lo=lo, row_hi=hi)
    relaxed = add_column(
        relaxed, rows=rows, coef=-np.ones(len(rows)), cost=cost, lo=t_lo, hi=t_hi, name="t"
    )
    if not group.integral:
        relaxed = _scaled_money(relaxed)
    outcome = run_mip(relaxed, SolveOptions(time_limit_s=left, seed=seed, gap=1e-9))
    if outcome.status is Status.INFEASIBLE:
        return "note", E_("relaxing {rule} alone is not enough").format(rule=group.words)
    if outcome.values is None:
        return "fix", ""
    t = float(outcome.values[relaxed.blocks["t"]][0])
    if group.kind != UPPER and t >= group.bound - 0.5:
        return "fix", ""  # the other groups of the conflict must move instead
    words = group.relaxed(t if group.integral else t / 100.0)
    if outcome.status is not Status.OPTIMAL:
        words += " (not proven least: time limit)"
    return "fix", words


def _scaled_money(model: MatrixModel) -> MatrixModel:
    """Measure t in cents, so that the integer t of HiGHS rounds a money limit to the cent."""
    t = model.blocks["t"].start
    scale = np.ones(model.n_cols)
    scale[t] = 0.01
    return dataclasses.replace(
        model,
        matrix=sp.csr_matrix(model.matrix @ sp.diags(scale)),
        col_hi=np.where(np.arange(model.n_cols) == t, model.col_hi * 100.0, model.col_hi),
    )


def describe(conflict: Conflict) -> list[str]:
    """The conflict in plain words: the rules that clash, then how to fix each."""
    demand = [g for g in conflict.groups if g.kind == EXACT]
    rules = [g.words for g in conflict.groups if g.kind != EXACT]
    if len(demand) > 4:
        total = int(sum(g.bound for g in demand))
        rules.append(
            E_("the demand of {n} municipality × care type pairs ({clients} clients)").format(
                n=len(demand), clients=total
            )
        )
    else:
        rules += [g.words for g in demand]
    form = (
        E_("no plan satisfies these rules together: {rules} (a minimal conflict: without any "
           "one of them the rest can hold)")
        if conflict.minimal
        else E_("no plan satisfies these rules together: {rules} (a proven conflict, perhaps not "
                "minimal: the time budget ran out)")
    )  # fmt: skip
    head = form.format(rules="; ".join(rules))
    fixes = [
        E_("fix: {text} (everything else unchanged)").format(text=text)
        if kind == "fix"
        else E_("note: {text}").format(text=text)
        for kind, text in conflict.relaxations
    ]
    return [head, *fixes]


def explain_infeasible(data: ModelData, model: MatrixModel, *, time_limit_s: float) -> list[str]:
    """Sentences explaining why `model` (proved infeasible) has no plan; empty when out of time."""
    conflict = find_conflict(data, model, time_limit_s=time_limit_s)
    return describe(conflict) if conflict is not None else []


def explain(instance: Instance, *, time_limit_s: float = 60.0) -> list[str] | None:
    """Explain an instance's infeasibility; None when it is feasible, [] when out of time."""
    data = build_data(instance)
    model = build_model(data)
    started = time.monotonic()
    outcome = run_mip(with_objective(model, np.zeros(model.n_cols)), SolveOptions(
        time_limit_s=time_limit_s))  # fmt: skip
    if outcome.status is not Status.INFEASIBLE:
        return None if outcome.status.has_solution else []
    left = max(0.1, time_limit_s - (time.monotonic() - started))
    return explain_infeasible(data, model, time_limit_s=left)
