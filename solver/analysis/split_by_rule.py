"""A plan's split under a rule of the analyst's choice: `dekkend split` and the API's split jobs.

`run_split` solves the instance with its split rule (and sampling) replaced, plays the coalition
game under the given `GameSettings`, and (for any rule, when asked) adds each municipality's
stand-alone cost c({m}) and the core verdict of the split.
"""

from __future__ import annotations

import time

from solver.analysis.compare_rules import compare_rules, with_split
from solver.check import check
from solver.instance import GAME_RULES, Instance
from solver.options import ProgressCallback, SolveOptions
from solver.result import Result
from solver.solve import solve
from solver.split.game.play import EXACT_LIMIT, GameSettings
from solver.split.game.report import annotate_split


def with_rule(
    instance: Instance,
    rule: str | None = None,
    *,
    samples: int | None = None,
    seed: int | None = None,
    capacity: str | None = None,
) -> Instance:
    """The instance with its split rule, sampling or game capacity replaced, validated again."""
    changes = {"rule": rule, "samples": samples, "seed": seed, "capacity": capacity}
    return with_split(instance, **{k: v for k, v in changes.items() if v is not None})


def run_split(
    instance: Instance,
    *,
    rule: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    stand_alone: bool = False,
    capacity: str | None = None,
    compare: bool = False,
    options: SolveOptions | None = None,
    game: GameSettings | None = None,
    on_progress: ProgressCallback | None = None,
) -> Result:
    """Solve `instance` and split its regional cost by `rule` (default: the instance's own).

    Game rules' results always carry stand-alone costs and the core verdict; other rules carry
    them when `stand_alone` is set. `capacity` chooses the game (proportional or full). With
    `compare`, the result also holds the plan split by every rule (`comparison`), the game
    played once for all. Coalitions are played under `game` (default: a local process pool, an
    hour for all of them, no cache).
    Raises `InvalidInput` when the rule change makes the instance invalid (e.g. `key` without
    weights). A refused shapley split leaves `cost_split` empty and says why in `notes`.
    """
    started = time.monotonic()
    own_rule = instance.policy.cost_split.rule
    instance = with_rule(instance, rule, samples=samples, seed=seed, capacity=capacity)
    settings = game or GameSettings()
    if compare:
        result = _compared(instance, options or SolveOptions(), settings, on_progress)
    else:
        result = solve(
            instance, options=options or SolveOptions(), on_progress=on_progress, game=settings
        )
        split = result.cost_split
        if stand_alone and split is not None and split.rule not in GAME_RULES:
            result = annotate_split(instance, result, settings)
    notes = _unused_sampling(instance, samples, seed)
    if rule is not None and rule != own_rule and result.cost_split is not None:
        # `dekkend check` judges a result by the instance's own policy, so say what it answers
        what_if = (
            f"split by the {rule} rule instead of the instance's {own_rule} rule: this result "
            f"holds for the instance with policy.cost_split.rule = {rule!r}"
        )
        notes.append(what_if)
    return result.model_copy(
        update={"notes": [*result.notes, *notes], "runtime_s": time.monotonic() - started}
    )


def _compared(
    instance: Instance,
    options: SolveOptions,
    game: GameSettings,
    on_progress: ProgressCallback | None,
) -> Result:
    """The plan solved once (playing no game), then split by every rule and its own (checked)."""
    own_rule = instance.policy.cost_split.rule
    plan = with_split(instance, rule="usage") if own_rule in GAME_RULES else instance
    result = solve(plan, options=options, on_progress=on_progress, game=game)
    comparison, own = compare_rules(instance, result, game)
    notes = list(result.notes)
    if own is None and result.status.has_solution:
        notes.append(f"no cost split: {comparison.refused.get(own_rule, 'refused')}")
    result = result.model_copy(update={"cost_split": own, "comparison": comparison, "notes": notes})
    check(instance, result).raise_if_broken()
    return result


def _unused_sampling(instance: Instance, samples: int | None, seed: int | None) -> list[str]:
    """A note when `samples` or `seed` was given but plays no part in this split."""
    pairs = (("samples", samples), ("seed", seed))
    given = [f"{name} {value}" for name, value in pairs if value is not None]
    if not given:
        return []
    rule = instance.policy.cost_split.rule
    n = len(instance.municipalities)
    if rule != "shapley":
        why = f"random orders are only drawn for the shapley rule, and the rule is {rule}"
    elif n <= EXACT_LIMIT:
        why = (
            f"with {n} municipalities (at most {EXACT_LIMIT}) the Shapley value is computed "
            "exactly from every coalition, not from random orders"
        )
    else:
        return []
    return [f"{' and '.join(given)} not used: {why}"]
