"""SPEC §5: the regional cost of a plan split over the municipalities, by the instance's rule.

The one entry of every split: the plain rules (`rules`) are computed from the plan; a game rule
(`shapley`) plays the coalition game under the `GameSettings` the caller passes
(`game`). Amounts add up to the regional cost to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence

from solver.instance import Instance
from solver.pricing.costs import PlanEvaluation
from solver.pricing.tally import tally_plan
from solver.result import Assignment, Contract, CostSplitResult, MunicipalityAmount
from solver.split.game.play import GameSettings
from solver.split.game.shapley import shapley_split
from solver.split.rounding import largest_remainder
from solver.split.rules import raw_amounts

GAME_RULES = ("shapley",)  # rules that play the coalition game


def split_cost(
    instance: Instance,
    contracts: Sequence[Contract],
    assignments: Sequence[Assignment],
    evaluation: PlanEvaluation,
    *,
    game: GameSettings,
) -> CostSplitResult:
    """Split `evaluation.regional_cost` by `instance.policy.cost_split`; a game under `game`."""
    policy = instance.policy.cost_split
    if policy.rule in GAME_RULES:
        return shapley_split(instance, evaluation.regional_cost, game)
    tally = tally_plan(instance, contracts, assignments)
    raw = raw_amounts(tally, evaluation)
    amounts = largest_remainder(list(raw), evaluation.regional_cost)
    return CostSplitResult(
        rule=policy.rule,
        amounts=[
            MunicipalityAmount(municipality=m, amount=a)
            for m, a in zip(tally.municipalities, amounts, strict=True)
        ],
    )
