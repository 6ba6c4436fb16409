"""One plan, every split rule side by side (`dekkend split --compare`, an API split option).

The plan is solved once; the coalition game is played once for all game rules (shapley,
nucleolus, the least core) and its stand-alone costs and core verdict annotate every column, the
plain rules' too. Each column is split by its rule alone (a region's `by_lot` rules are the
instance's own column, `cost_split`), to the cent, adding up to the regional cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from solver.errors import InvalidInput, NotSupported
from solver.instance import GAME_RULES, Instance, dump_instance, parse_instance
from solver.pricing.costs import evaluate_plan
from solver.result import CostSplitResult, Result, RuleComparison
from solver.split.cost_split import split_cost, split_parts
from solver.split.game.play import GameSettings
from solver.split.game.report import GameOutcome, game_annotations
from solver.split.game.rules import LEAST_CORE, play_game, split_by_game

PLAIN_RULES = ("usage", "population", "mixed", "key")
COMPARED = (*PLAIN_RULES, "shapley", "nucleolus", LEAST_CORE)


def compare_rules(
    instance: Instance, result: Result, game: GameSettings, *, rules: Sequence[str] = COMPARED
) -> tuple[RuleComparison, CostSplitResult | None]:
    """The plan of `result` split by each of `rules`, and by the instance's own rule.

    The game is played once for all of them. The own split is the column of a game rule, or the
    instance's plain split (its `by_lot` rules kept) with the game's annotations; None when the
    game refused the own rule.
    """
    if not result.status.has_solution or result.regional_cost is None:
        return RuleComparison(splits=[], refused={r: "no plan to split" for r in rules}), None
    evaluation = evaluate_plan(instance, result.contracts, result.assignments)
    regional = evaluation.regional_cost
    refused: dict[str, str] = {}
    outcome: GameOutcome | None = None
    try:
        outcome = play_game(instance, game, exact=len(instance.municipalities) <= 12)
    except NotSupported as exc:
        refused.update({r: str(exc) for r in rules if r not in PLAIN_RULES})
    splits: list[CostSplitResult] = []
    for rule in rules:
        if rule in refused:
            continue
        if rule == "key" and not instance.policy.cost_split.weights:
            refused[rule] = "the instance has no key (policy.cost_split.weights)"
            continue
        try:
            if rule in PLAIN_RULES:
                plain = with_split(instance, rule=rule, by_lot=None)
                split = split_cost(
                    plain, result.contracts, result.assignments, evaluation, game=game
                )
            else:
                assert outcome is not None
                split = split_by_game(outcome, rule, regional)
                costs = evaluation.costs
                whole = np.array([[costs.payouts], [costs.contract_cost], [costs.transfer_cost]])
                amounts = [a.amount for a in split.amounts]
                split = split.model_copy(update={"parts": split_parts(split, amounts, whole)})
        except (InvalidInput, NotSupported) as exc:
            refused[rule] = _reason(exc)
            continue
        splits.append(_annotated(split, outcome, regional))
    own_rule = instance.policy.cost_split.rule
    if own_rule in GAME_RULES:
        own = next((s for s in splits if s.rule == own_rule), None)
    else:
        own = split_cost(instance, result.contracts, result.assignments, evaluation, game=game)
        own = _annotated(own, outcome, regional)
    return RuleComparison(splits=splits, refused=refused), own


def _annotated(
    split: CostSplitResult, outcome: GameOutcome | None, regional_cost: float
) -> CostSplitResult:
    """A plain split with the game's stand-alone costs and core verdict (when it was played)."""
    if outcome is None or split.core is not None:
        return split
    amounts = [a.amount for a in split.amounts]
    return split.model_copy(update=game_annotations(outcome, amounts, regional_cost))


def with_split(instance: Instance, **changes: Any) -> Instance:
    """The instance with fields of `policy.cost_split` changed (None removes one), validated.

    A game rule (shapley, nucleolus) drops `by_lot`, which does not apply to it (SPEC §5).
    """
    if not changes:
        return instance
    raw = dump_instance(instance)
    split = raw.setdefault("policy", {}).setdefault("cost_split", {})
    for key, value in changes.items():
        if value is None:
            split.pop(key, None)
        else:
            split[key] = value
    if split.get("rule") in GAME_RULES:
        split.pop("by_lot", None)
    return parse_instance(raw)


def _reason(exc: Exception) -> str:
    if isinstance(exc, InvalidInput):
        return "; ".join(str(e) for e in exc.errors)
    return str(exc)
