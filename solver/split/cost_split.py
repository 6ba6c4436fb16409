"""SPEC §5: the regional cost of a plan split over the municipalities, by the instance's rule.

The one entry of every split: the plain rules (`rules`) are computed from the plan; a game rule
(`shapley`, `nucleolus`) plays the coalition game under the `GameSettings` the caller passes
(`game`). Amounts add up to the regional cost to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from solver.instance import GAME_RULES, Instance
from solver.pricing.costs import PlanEvaluation
from solver.pricing.tally import tally_plan
from solver.result import (
    Assignment,
    Contract,
    CostSplitResult,
    MunicipalityAmount,
    SplitParts,
)
from solver.split.game.play import GameSettings
from solver.split.game.rules import game_split
from solver.split.rounding import largest_remainder
from solver.split.rules import raw_amounts, raw_parts


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
        split = game_split(instance, evaluation.regional_cost, game)
        costs = evaluation.costs
        # a game shares the regional cost as a whole: its parts pro rata the regional cost's
        whole = np.array([[costs.payouts], [costs.contract_cost], [costs.transfer_cost]])
        amounts = [a.amount for a in split.amounts]
        return split.model_copy(update={"parts": split_parts(split, amounts, whole)})
    tally = tally_plan(instance, contracts, assignments)
    raw = raw_amounts(tally, evaluation)
    cents = largest_remainder(list(raw), evaluation.regional_cost)
    split = CostSplitResult(
        rule=policy.rule,
        amounts=[
            MunicipalityAmount(municipality=m, amount=a)
            for m, a in zip(tally.municipalities, cents, strict=True)
        ],
    )
    return split.model_copy(
        update={"parts": split_parts(split, cents, raw_parts(tally, evaluation))}
    )


def split_parts(split: CostSplitResult, amounts: list[float], raw: np.ndarray) -> list[SplitParts]:
    """Each municipality's amount in parts pro rata `raw` (3, M or 1), to the cent, adding up.

    Rounded per municipality by largest remainder, so care + contract + transfer is its amount
    exactly; a part's total over the municipalities may then differ from the regional cost's part
    by a few cents.
    """
    out = []
    for i, item in enumerate(split.amounts):
        column = raw[:, i] if raw.shape[1] > 1 else raw[:, 0]
        care, contract, transfer = largest_remainder(list(np.maximum(column, 0.0)), amounts[i])
        out.append(
            SplitParts(
                municipality=item.municipality, care=care, contract=contract, transfer=transfer
            )
        )
    return out
