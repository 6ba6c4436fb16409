"""SPEC §5 `shapley`: the Shapley value of the coalition cost game, its split, and its core.

c(S) is the optimal objective of the instance restricted to S (`solver.coalition`). The Shapley
value φ(m) is m's expected marginal cost c(S ∪ m) − c(S) over a uniformly random order of the
municipalities; Σ φ = c(N). Up to `EXACT_LIMIT` municipalities it is computed exactly from all
2^n − 1 coalitions; beyond, from `samples` random orders drawn with `seed` (numpy PCG64), with a
standard error per municipality. Each municipality pays φ(m) × regional cost / c(N), to the cent.

**A coalition that is infeasible alone** (e.g. its demand is too small for every provider's
min_clients, or max_share leaves too few clients per unit) has no cost: c(S) = +∞ and the
marginal costs through it are undefined. Any finite stand-in (a penalty, a neighbour's cost)
would be an invented number deciding who pays what, so the Shapley split is **refused**, naming
the smallest infeasible coalitions and why; the region can then pick another rule (which still
gets its core check with `--stand-alone`, where an infeasible coalition simply cannot block).
The split is also refused when c(N) ≤ 0 (SPEC) or when a coalition could not be solved in time.
A coalition solved but not proven optimal in time is used with its best value, and the result's
`core.unproven_coalitions` names it.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

import numpy as np

from solver.errors import NotSupported
from solver.instance.schema import Instance
from solver.pricing.costs import PlanEvaluation
from solver.result import CostSplitResult
from solver.split.game.cache import CoalitionCache, game_key
from solver.split.game.coalitions import CoalitionValue, members_of, restrict
from solver.split.game.engines import Engine, GameProgress, LocalEngine

log = logging.getLogger(__name__)

EXACT_LIMIT = 12
DEFAULT_SAMPLES = 100
DEFAULT_TIME_LIMIT_S = 3600.0
NAMED = 3  # infeasible or unproven coalitions named in a message


class GameRefused(NotSupported):
    """The coalition game is not defined for this instance (explained in the message)."""


@dataclass(frozen=True, slots=True)
class GameSettings:
    """How the coalitions of one split are solved (set around `solve` by `game_settings`)."""

    engine: Engine | None = None  # None: a LocalEngine with one worker per core
    # for all coalitions together; None: what the plain `solve` around the game leaves of its
    # own time limit (see `bounded_by_solve`)
    time_limit_s: float | None = DEFAULT_TIME_LIMIT_S
    on_progress: GameProgress | None = None
    cache: CoalitionCache | None = None  # proven values from earlier runs, and kept for later


_SETTINGS: ContextVar[GameSettings | None] = ContextVar("game_settings", default=None)


@contextmanager
def game_settings(settings: GameSettings) -> Iterator[None]:
    """Use `settings` for every coalition game played in this context (e.g. inside `solve`)."""
    token = _SETTINGS.set(settings)
    try:
        yield
    finally:
        _SETTINGS.reset(token)


@contextmanager
def bounded_by_solve(instance: Instance, *, remaining_s: float, solve_s: float) -> Iterator[None]:
    """Inside a plain `solve`: the game gets what is left of the solve's time limit.

    It is refused at once (`GameRefused`, said in the result's notes) when its coalitions clearly
    cannot be solved in that time, estimated from the grand coalition's own solve time; so a
    12-municipality region does not turn `dekkend solve` into an hour of work. Coalitions kept in
    the settings' cache are not counted, and are read from it. Outer `game_settings` with a time
    limit of their own (`dekkend split`, the API's jobs) win.
    """
    outer = _SETTINGS.get()
    if instance.policy.cost_split.rule != "shapley" or (
        outer is not None and outer.time_limit_s is not None
    ):
        yield
        return
    outer = outer or GameSettings(time_limit_s=None)
    engine = outer.engine or LocalEngine()
    masks, _ = game_masks(instance)
    coalitions = len(masks)
    if outer.cache is not None:
        key = game_key(instance, threads=engine.threads, seed=engine.seed)
        coalitions -= len(outer.cache.kept(key, masks))
    estimate = coalitions * solve_s / max(os.cpu_count() or 1, 1)
    if estimate > remaining_s:
        raise GameRefused(
            f"the shapley split needs {coalitions:,} coalition solves, about {estimate:,.0f} s at "
            f"this instance's solve time, and the time limit leaves {max(remaining_s, 0):,.0f} s; "
            "run `dekkend split` with a longer --time-limit"
        )
    with game_settings(replace(outer, engine=engine, time_limit_s=remaining_s)):
        yield


def cache_for_solves(cache: CoalitionCache | None) -> AbstractContextManager[None]:
    """Game settings under which a plain `solve` reads and keeps its coalitions in `cache`.

    `dekkend solve` uses them, so a region whose own rule is shapley solves its coalitions once,
    as `dekkend split` does; the game's time is still what the solve leaves (`bounded_by_solve`).
    """
    return game_settings(GameSettings(time_limit_s=None, cache=cache))


def evaluate_game(instance: Instance, masks: Sequence[int]) -> dict[int, CoalitionValue]:
    """c(S) for every mask: from the cache where kept, else on the engine of `game_settings`."""
    settings = _SETTINGS.get() or GameSettings()
    engine = settings.engine or LocalEngine()
    cache = settings.cache
    key = game_key(instance, threads=engine.threads, seed=engine.seed) if cache else ""
    known = cache.load(key, masks) if cache else {}
    # progress counts every coalition of the game, those read from the cache done from the start
    report = settings.on_progress
    on_progress = None if report is None else _counting_from(report, len(known))
    started = time.monotonic()
    limit = DEFAULT_TIME_LIMIT_S if settings.time_limit_s is None else settings.time_limit_s
    values = engine.evaluate(
        instance,
        [m for m in masks if m not in known],
        deadline=time.time() + limit,
        on_progress=on_progress,
        # kept batch by batch, so a run that is stopped or dies still leaves what it proved
        on_batch=(lambda batch: cache.store(key, batch)) if cache else None,
    )
    log.info("%d coalitions on %s in %.2f s, %d from the cache", len(values), engine.name,
             time.monotonic() - started, len(known))  # fmt: skip
    return {**known, **values}


def _counting_from(report: GameProgress, already: int) -> GameProgress:
    """`report` told of `already` more coalitions, done and in all, than the engine counts."""
    return lambda done, total: report(done + already, total + already)


def shapley_exact(cost: np.ndarray, n: int) -> np.ndarray:
    """φ from all coalition costs `cost[mask]` (cost[0] = 0), exactly."""
    masks = np.arange(1 << n)
    size = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        size += (masks >> i) & 1
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) for s in range(n)]) / float(
        math.factorial(n)
    )
    phi = np.zeros(n)
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        phi[i] = math.fsum(weight[size[without]] * (cost[without | (1 << i)] - cost[without]))
    return phi


def permutations(n: int, samples: int, seed: int) -> np.ndarray:
    """(samples, n) random orders of the municipalities, reproducible from `seed`."""
    rng = np.random.default_rng(seed)
    return np.array([rng.permutation(n) for _ in range(samples)], dtype=np.int64)


def prefix_masks(orders: np.ndarray) -> set[int]:
    """Every coalition formed by a prefix of some order (the ones sampling needs)."""
    found: set[int] = set()
    for order in orders:
        mask = 0
        for i in order:
            mask |= 1 << int(i)
            found.add(mask)
    return found


def shapley_sampled(orders: np.ndarray, cost: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """φ estimated from random orders, and the standard error of each estimate."""
    samples, n = orders.shape
    marginal = np.zeros((samples, n))
    for s, order in enumerate(orders):
        mask, before = 0, 0.0
        for i in order:
            mask |= 1 << int(i)
            marginal[s, i] = cost[mask] - before
            before = cost[mask]
    phi = marginal.mean(axis=0)
    se = marginal.std(axis=0, ddof=1) / math.sqrt(samples) if samples > 1 else np.zeros(n)
    return phi, se


def explain_infeasible(instance: Instance, values: dict[int, CoalitionValue]) -> list[str]:
    """Sentences naming the smallest infeasible coalitions and, where cheap, why."""
    from solver.infeasibility.precheck import infeasibility_proofs
    from solver.model.data import build_data

    ids = [m.id for m in instance.municipalities]
    bad = sorted(
        (v for v in values.values() if v.status == "infeasible"),
        key=lambda v: (bin(v.mask).count("1"), v.mask),
    )
    out = []
    for v in bad[:NAMED]:
        members = members_of(v.mask, ids)
        why = v.reason or "; ".join(infeasibility_proofs(build_data(restrict(instance, members))))
        why = why or "its rules clash (no single cheap proof: see solve on the restricted instance)"
        out.append(f"coalition {{{', '.join(members)}}} cannot buy alone: {why}")
    if len(bad) > NAMED:
        out.append(f"... and {len(bad) - NAMED} more infeasible coalitions")
    return out


def usable_costs(
    instance: Instance, masks: Sequence[int], values: dict[int, CoalitionValue]
) -> tuple[dict[int, float], list[int]]:
    """c(S) of every mask, and the masks whose value is not proven; refuse when one is missing."""
    missing = [m for m in masks if m not in values or values[m].status == "no_solution"]
    infeasible = [m for m in masks if m in values and values[m].status == "infeasible"]
    if infeasible:
        raise GameRefused(
            "the shapley split is not defined: some coalitions are infeasible on their own, so "
            "their cost (and every marginal cost through them) does not exist. "
            + " | ".join(explain_infeasible(instance, values))
        )
    if missing:
        if len(instance.municipalities) <= EXACT_LIMIT:
            # exact is the only method up to EXACT_LIMIT: fewer samples would change nothing
            advice = (
                f"with at most {EXACT_LIMIT} municipalities every coalition is needed: raise the "
                "time limit, or solve them on more workers or on the dask engine"
            )
        else:
            advice = "raise the time limit, or use fewer samples"
        settings = _SETTINGS.get()
        if settings is not None and settings.cache is not None:
            advice += (
                "; the coalitions proven so far are kept in the coalition cache, so the same "
                "split run again goes on from there"
            )
        raise GameRefused(
            f"the shapley split needs {len(masks)} coalitions; {len(missing)} were not solved "
            f"within the time limit ({advice})"
        )
    costs = {m: float(values[m].cost) for m in masks}  # type: ignore[arg-type]
    unproven = sorted(m for m in masks if values[m].status != "optimal")
    return costs, unproven


def game_masks(instance: Instance) -> tuple[list[int], np.ndarray | None]:
    """The coalitions a shapley split needs, and the random orders when it samples them.

    Exact (up to `EXACT_LIMIT` municipalities): every coalition. Sampled: every prefix of
    `samples` orders drawn with `seed`, and each municipality alone (its stand-alone cost).
    """
    n = len(instance.municipalities)
    if n <= EXACT_LIMIT:
        return list(range(1, 1 << n)), None
    policy = instance.policy.cost_split
    orders = permutations(n, policy.samples or DEFAULT_SAMPLES, policy.seed or 0)
    return sorted(prefix_masks(orders) | {1 << i for i in range(n)}), orders


def coalition_names(masks: Sequence[int], ids: Sequence[str]) -> list[list[str]]:
    """Municipality ids of each coalition."""
    return [members_of(m, ids) for m in masks]


def shapley_split(instance: Instance, evaluation: PlanEvaluation) -> CostSplitResult:
    """The `shapley` rule of SPEC §5 for a solved instance (called by `solver.split.split_cost`)."""
    from solver.split.game.report import GameOutcome, split_report

    ids = [m.id for m in instance.municipalities]
    n = len(ids)
    grand = (1 << n) - 1
    masks, orders = game_masks(instance)
    exact = orders is None
    values = evaluate_game(instance, masks)
    costs, unproven = usable_costs(instance, masks, values)
    if costs[grand] <= 0:
        raise GameRefused(
            f"the shapley split is refused: the region's optimal objective c(N) is "
            f"€{costs[grand]:,.2f} ≤ 0, so shares of it cannot be scaled to the regional cost"
        )
    if exact:
        table = np.zeros(grand + 1)
        for mask, cost in costs.items():
            table[mask] = cost
        phi, se = shapley_exact(table, n), None
    else:
        assert orders is not None
        phi, se = shapley_sampled(orders, costs)
        # efficiency holds per order, so Σ φ = c(N) already; remove float drift
        phi = phi * (costs[grand] / math.fsum(phi))
    outcome = GameOutcome(ids, costs, unproven, exact, len(orders) if orders is not None else None)
    return split_report(
        instance, evaluation.regional_cost, outcome, rule="shapley", raw=phi, standard_errors=se
    )
