"""The fewest contracts that keep every rule except `policy.max_contracts`, and its cheapest plan.

Lexicographic, not a scan: first minimise Σ z (contracted units) on the model without the
max_contracts row and with no other objective; then solve the instance again with
`max_contracts` set to that minimum, which gives the cheapest plan with that many contracts
(with the minimum, "at most" and "exactly" coincide), checked like every plan of `solve()`.
"""

from __future__ import annotations

import dataclasses
import logging
import time

import numpy as np

from solver.backends.highs.backend import run_mip
from solver.infeasibility.explain import explain_infeasible
from solver.infeasibility.precheck import infeasibility_proofs
from solver.instance import Instance
from solver.model.data import build_data
from solver.model.families import MAX_CONTRACTS, Z
from solver.model.formulation import build_model
from solver.model.variants import drop_families, with_objective
from solver.options import SolveOptions
from solver.result import Result, Status
from solver.solve import solve

log = logging.getLogger(__name__)

_DEFAULT = SolveOptions()


@dataclasses.dataclass(frozen=True)
class MinContracts:
    """The least number of contracts (None when there is none) and the plan that goes with it."""

    min_contracts: int | None
    proven: bool  # False when the first stage stopped at its time limit (an upper bound)
    result: Result

    def to_dict(self) -> dict:
        """The SPEC §7 result JSON plus `min_contracts` and `min_contracts_proven`."""
        out = self.result.model_dump(mode="json")
        out["min_contracts"] = self.min_contracts
        out["min_contracts_proven"] = self.proven
        return out


def without_max_contracts(instance: Instance) -> Instance:
    """The instance with `policy.max_contracts` removed."""
    policy = instance.policy.model_copy(update={"max_contracts": None})
    return instance.model_copy(update={"policy": policy})


def with_max_contracts(instance: Instance, limit: int | None) -> Instance:
    """The instance with `policy.max_contracts` set to `limit`."""
    policy = instance.policy.model_copy(update={"max_contracts": limit})
    return instance.model_copy(update={"policy": policy})


def min_contracts(instance: Instance, *, options: SolveOptions = _DEFAULT) -> MinContracts:
    """Solve for the fewest contracted units, then the cheapest plan with that many."""
    started = time.monotonic()
    free = without_max_contracts(instance)
    data = build_data(free)
    proofs = infeasibility_proofs(data)
    if proofs:
        return MinContracts(None, True, _no_plan(free, options, Status.INFEASIBLE, proofs, started))
    model = drop_families(build_model(data), [MAX_CONTRACTS])
    count = np.zeros(model.n_cols)
    count[model.blocks[Z]] = 1.0
    # contracts are whole numbers: a gap below 1 contract proves the minimum
    outcome = run_mip(with_objective(model, count), dataclasses.replace(options, gap=0.0))
    if outcome.status is Status.INFEASIBLE:
        why = explain_infeasible(data, model, time_limit_s=options.time_limit_s)
        return MinContracts(None, True, _no_plan(free, options, Status.INFEASIBLE, why, started))
    if outcome.values is None:
        return MinContracts(None, False, _no_plan(free, options, Status.NO_SOLUTION, [], started))
    least = int(round(float(outcome.values[model.blocks[Z]].sum())))
    proven = outcome.status is Status.OPTIMAL
    log.info("fewest contracts: %d (%s)", least, "proven" if proven else "upper bound")
    result = solve(with_max_contracts(instance, least), options=options)
    note = (
        f"fewest contracts keeping every other rule: {least}"
        + ("" if proven else " (an upper bound: the minimisation stopped at its time limit)")
        + f"; max_contracts in the instance: {instance.policy.max_contracts}"
    )
    result = result.model_copy(
        update={"notes": [*result.notes, note], "runtime_s": time.monotonic() - started}
    )
    return MinContracts(least, proven, result)


def _no_plan(
    instance: Instance, options: SolveOptions, status: Status, why: list[str], started: float
) -> Result:
    return Result(
        status=status,
        backend=options.backend,
        runtime_s=time.monotonic() - started,
        explanation=why,
        instance=instance.name,
        notes=["no plan keeps every rule even without max_contracts"]
        if status is Status.INFEASIBLE
        else ["the contract minimisation found no plan within its time limit"],
    )
