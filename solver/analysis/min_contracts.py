"""The fewest contracts that keep every rule except `policy.max_contracts`, and its cheapest plan.

Lexicographic (`fewest`): first the least Σ z (contracted units) without the max_contracts row,
then the cheapest plan with `max_contracts` set to that minimum.
"""

from __future__ import annotations

from solver.analysis.fewest import Count, Fewest, fewest, with_policy
from solver.instance import Instance
from solver.model.families import MAX_CONTRACTS, Z
from solver.options import SolveOptions

_DEFAULT = SolveOptions()


def without_max_contracts(instance: Instance) -> Instance:
    """The instance with `policy.max_contracts` removed."""
    return with_policy(instance, max_contracts=None)


def with_max_contracts(instance: Instance, limit: int | None) -> Instance:
    """The instance with `policy.max_contracts` set to `limit`."""
    return with_policy(instance, max_contracts=limit)


CONTRACTS = Count("max_contracts", MAX_CONTRACTS, Z, "contracts", without_max_contracts)


def min_contracts(instance: Instance, *, options: SolveOptions = _DEFAULT) -> Fewest:
    """Solve for the fewest contracted units, then the cheapest plan with that many.

    `.least` is the minimum (None when there is no plan); the JSON key is `min_contracts`.
    """
    return fewest(instance, CONTRACTS, "min_contracts", options)
