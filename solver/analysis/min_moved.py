"""`dekkend min-moved`: the fewest clients in care who must change provider, then the cheapest plan.

The count keeps every other rule of the instance.

Lexicographic (`fewest`): first the least Σ moved (SPEC §3: each incumbent's clients no longer
with their provider) without `policy.max_moved`, then the cheapest plan with `max_moved` set to
that minimum. Transfer cost stays in the second stage's objective as the instance states it.
"""

from __future__ import annotations

from solver.analysis.fewest import Count, Fewest, fewest, with_policy
from solver.instance import Instance
from solver.model.families import MAX_MOVED, MOVED
from solver.options import SolveOptions

_DEFAULT = SolveOptions()


def _counted(instance: Instance) -> Instance:
    # a limit no plan can break makes the model count moved clients (and is then dropped)
    everyone = sum(i.clients for p in instance.providers for i in p.incumbent)
    return with_policy(instance, max_moved=everyone)


MOVED_CLIENTS = Count("max_moved", MAX_MOVED, MOVED, "clients who change provider", _counted)


def min_moved(instance: Instance, *, options: SolveOptions = _DEFAULT) -> Fewest:
    """Solve for the fewest moved clients, then the cheapest plan with that many.

    `.least` is the minimum (None when there is no plan); the JSON key is `min_moved`.
    """
    return fewest(instance, MOVED_CLIENTS, "min_moved", options)
