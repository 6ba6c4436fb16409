"""Playing the coalition game: which coalitions a split needs, and their costs c(S), solved once.

`GameSettings` say where and how long coalitions are solved (engine, time, progress, cache); they
travel as an argument from the front door (`solve(..., game=)`) to `evaluate_game`, never as
ambient state. `evaluate_game` reads proven values from the cache and solves the rest on the
engine; `usable_costs` turns the values into the c(S) a split may use, or refuses the split.

**A coalition that is infeasible alone** (e.g. its demand is too small for every provider's
min_clients, or max_share leaves too few clients per unit) has no cost: c(S) = +∞ and the marginal
costs through it are undefined. Any finite stand-in (a penalty, a neighbour's cost) would be an
invented number deciding who pays what, so a game split is **refused**, naming the smallest
infeasible coalitions and why; the region can then pick another rule (which still gets its core
check with `--stand-alone`, where an infeasible coalition simply cannot block). A split is also
refused when a coalition could not be solved in time. A coalition solved but not proven optimal in
time is used with its best value, and the result's `core.unproven_coalitions` names it.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from solver.errors import NotSupported
from solver.infeasibility.precheck import infeasibility_proofs
from solver.instance import Instance
from solver.model.data import build_data
from solver.split.game.cache import CoalitionCache, game_key
from solver.split.game.coalitions import CoalitionValue
from solver.split.game.engines import Engine, GameProgress, LocalEngine
from solver.split.game.restrict import members_of, restrict

log = logging.getLogger(__name__)

EXACT_LIMIT = 12  # up to this many municipalities every coalition is solved
DEFAULT_SAMPLES = 100
DEFAULT_TIME_LIMIT_S = 3600.0
NAMED = 3  # infeasible or unproven coalitions named in a message


class GameRefused(NotSupported):
    """The coalition game is not defined for this instance (explained in the message)."""


@dataclass(frozen=True, slots=True)
class GameSettings:
    """How the coalitions of one split are solved; passed to `solve(..., game=)`."""

    engine: Engine | None = None  # None: a LocalEngine with one worker per core
    # for all coalitions together; None: what the plain `solve` around the game leaves of its
    # own time limit (see `budget_for_solve`)
    time_limit_s: float | None = DEFAULT_TIME_LIMIT_S
    on_progress: GameProgress | None = None
    cache: CoalitionCache | None = None  # proven values from earlier runs, and kept for later
    # whether someone asked the game to stop (a cancelled job): its refusal then says so
    stopped: Callable[[], bool] | None = None


# A plain `solve`: the game gets what the solve's own time limit leaves, on a local pool.
WITHIN_SOLVE = GameSettings(time_limit_s=None)


def budget_for_solve(
    instance: Instance, settings: GameSettings, *, remaining_s: float, solve_s: float
) -> GameSettings:
    """The settings a game plays under inside a `solve` that found its plan in `solve_s`.

    Settings with a time limit of their own (`dekkend split`, the API's jobs) are kept as they
    are. Settings without one get what is left of the solve's time limit, and the game is refused
    at once (`GameRefused`, said in the result's notes) when its coalitions clearly cannot be
    solved in that time, estimated from the grand coalition's own solve time; so a
    12-municipality region does not turn `dekkend solve` into an hour of work. Coalitions kept in
    the settings' cache are not counted.
    """
    if settings.time_limit_s is not None:
        return settings
    engine = settings.engine or LocalEngine()
    masks, _ = game_masks(instance)
    coalitions = len(masks)
    if settings.cache is not None:
        key = game_key(instance, threads=engine.threads, seed=engine.seed)
        coalitions -= len(settings.cache.kept(key, masks))
    estimate = coalitions * solve_s / max(os.cpu_count() or 1, 1)
    if estimate > remaining_s:
        raise GameRefused(
            f"the {instance.policy.cost_split.rule} split needs {coalitions:,} coalition solves, "
            f"about {estimate:,.0f} s at this instance's solve time, and the time limit leaves "
            f"{max(remaining_s, 0):,.0f} s; run `dekkend split` with a longer --time-limit"
        )
    return replace(settings, engine=engine, time_limit_s=remaining_s)


def evaluate_game(
    instance: Instance, masks: Sequence[int], settings: GameSettings
) -> dict[int, CoalitionValue]:
    """c(S) for every mask: from the cache where kept, else on the settings' engine."""
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


def game_masks(instance: Instance) -> tuple[list[int], np.ndarray | None]:
    """The coalitions a game split needs, and the random orders when it samples them.

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


def infeasible_coalitions(instance: Instance, values: dict[int, CoalitionValue]) -> list[str]:
    """Sentences naming the smallest infeasible coalitions and, where cheap, why."""
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


@dataclass(frozen=True, slots=True)
class Usable:
    """The coalition values a split may use: c(S) of the feasible ones, and what is missing."""

    costs: dict[int, float]  # mask -> c(S) of every coalition that can buy alone
    unproven: list[int]  # masks whose c(S) is the best found, not proven optimal
    infeasible: list[int]  # masks that cannot buy alone (c(S) = +∞)
    infeasible_why: str  # sentences naming the smallest infeasible coalitions ("" if none)


def usable_costs(
    instance: Instance,
    masks: Sequence[int],
    values: dict[int, CoalitionValue],
    settings: GameSettings,
) -> Usable:
    """The values of `masks` a split may use; refused (`GameRefused`) when one is not solved."""
    rule = instance.policy.cost_split.rule
    missing = [m for m in masks if m not in values or values[m].status == "no_solution"]
    infeasible = [m for m in masks if m in values and values[m].status == "infeasible"]
    if missing and settings.stopped is not None and settings.stopped():
        kept = " (the coalitions proven so far are kept in the coalition cache)"
        raise GameRefused(
            f"the {rule} split was stopped on request after {len(masks) - len(missing)} of its "
            f"{len(masks)} coalitions" + (kept if settings.cache is not None else "")
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
        if settings.cache is not None:
            advice += (
                "; the coalitions proven so far are kept in the coalition cache, so the same "
                "split run again goes on from there"
            )
        raise GameRefused(
            f"the {rule} split needs {len(masks)} coalitions; {len(missing)} were not solved "
            f"within the time limit ({advice})"
        )
    feasible = [m for m in masks if values[m].status != "infeasible"]
    costs = {m: float(values[m].cost) for m in feasible}  # type: ignore[arg-type]
    unproven = sorted(m for m in feasible if values[m].status != "optimal")
    why = " | ".join(infeasible_coalitions(instance, values)) if infeasible else ""
    return Usable(costs, unproven, infeasible, why)
