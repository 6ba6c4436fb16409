"""Lexicographic "fewest X, then cheapest": the engine behind `min-contracts` and `min-moved`.

Not a scan: first minimise a count (contracted units, moved clients) on the model without the
limit that bounds it and with no other objective; then solve the instance again with the limit
set to that minimum, which gives the cheapest plan at that number (with the minimum, "at most"
and "exactly" coincide), checked like every plan of `solve()`.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

import numpy as np

from solver.backends.highs.backend import run_mip
from solver.infeasibility.explain import explain_infeasible
from solver.infeasibility.precheck import infeasibility_proofs
from solver.instance import Instance
from solver.model.data import build_data
from solver.model.formulation import build_model
from solver.model.variants import drop_families, with_objective
from solver.options import SolveOptions
from solver.result import Result, Status
from solver.solve import solve

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Count:
    """What is counted: the policy field that limits it, its row family, the columns counted."""

    field: str  # e.g. "max_contracts": the policy limit dropped, then set to the minimum
    family: str  # the limit's row family in the model
    block: str  # the columns whose sum is the count
    words: str  # "contracts", "clients who change provider"
    # the instance the count is taken on (the limit removed; the columns then exist)
    free: Callable[[Instance], Instance]


@dataclasses.dataclass(frozen=True)
class Fewest:
    """The least count (None when there is none) and the plan that goes with it."""

    name: str  # "min_contracts", "min_moved": the key in the result JSON
    least: int | None
    proven: bool  # False when the first stage stopped at its time limit (an upper bound)
    result: Result

    def to_dict(self) -> dict:
        """The SPEC §7 result JSON plus `<name>` and `<name>_proven`."""
        out = self.result.model_dump(mode="json")
        out[self.name] = self.least
        out[f"{self.name}_proven"] = self.proven
        return out


def with_policy(instance: Instance, **update: object) -> Instance:
    """The instance with policy fields replaced (None removes a limit)."""
    policy = instance.policy.model_copy(update=update)
    return instance.model_copy(update={"policy": policy})


def fewest(instance: Instance, count: Count, name: str, options: SolveOptions) -> Fewest:
    """Solve for the least `count`, then the cheapest plan with exactly that many."""
    started = time.monotonic()
    free = count.free(instance)
    data = build_data(free)
    proofs = infeasibility_proofs(data)
    if proofs:
        result = _no_plan(free, options, Status.INFEASIBLE, proofs, started, count)
        return Fewest(name, None, True, result)
    model = drop_families(build_model(data), [count.family])
    objective = np.zeros(model.n_cols)
    if count.block in model.blocks:
        objective[model.blocks[count.block]] = 1.0
    # counts are whole numbers: a gap below one proves the minimum
    outcome = run_mip(with_objective(model, objective), dataclasses.replace(options, gap=0.0))
    if outcome.status is Status.INFEASIBLE:
        why = explain_infeasible(data, model, time_limit_s=options.time_limit_s)
        return Fewest(
            name, None, True, _no_plan(free, options, Status.INFEASIBLE, why, started, count)
        )
    if outcome.values is None:
        result = _no_plan(free, options, Status.NO_SOLUTION, [], started, count)
        return Fewest(name, None, False, result)
    least = int(round(float(objective @ outcome.values)))
    proven = outcome.status is Status.OPTIMAL
    log.info("fewest %s: %d (%s)", count.words, least, "proven" if proven else "upper bound")
    result = solve(with_policy(instance, **{count.field: least}), options=options)
    note = (
        f"fewest {count.words} keeping every other rule: {least}"
        + ("" if proven else " (an upper bound: the minimisation stopped at its time limit)")
        + f"; {count.field} in the instance: {getattr(instance.policy, count.field)}"
    )
    result = result.model_copy(
        update={"notes": [*result.notes, note], "runtime_s": time.monotonic() - started}
    )
    return Fewest(name, least, proven, result)


def _no_plan(
    instance: Instance,
    options: SolveOptions,
    status: Status,
    why: list[str],
    started: float,
    count: Count,
) -> Result:
    note = (
        f"no plan keeps every rule even without {count.field}"
        if status is Status.INFEASIBLE
        else f"the minimisation of {count.words} found no plan within its time limit"
    )
    return Result(
        status=status,
        backend=options.backend,
        runtime_s=time.monotonic() - started,
        explanation=why,
        instance=instance.name,
        notes=[note],
    )
