"""The one dispatcher: instance -> data -> diagnosis -> model -> backend -> plan -> check -> result.

Every front door (library, CLI, API) calls `solve`. The reported objective, budgets, regional cost
and split are recomputed from the extracted plan in float64, never taken from a solver, and the
independent checker must accept them before a result leaves this function.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from solver.backends.outcome import BackendOutcome, proof_holds, relative_gap
from solver.backends.registry import get_backend
from solver.check import check
from solver.errors import NotSupported
from solver.horizon.solve import solve_horizon
from solver.i18n.messages import E_
from solver.infeasibility.explain import explain_infeasible
from solver.infeasibility.precheck import infeasibility_proofs
from solver.instance import GAME_RULES, Instance
from solver.model.data import ModelData, build_data
from solver.model.formulation import build_model
from solver.model.matrix import MatrixModel
from solver.model.plan import extract_plan
from solver.model.tidy import drop_idle_options
from solver.model.variants import fix_contracts
from solver.options import ProgressCallback, SolveOptions
from solver.pricing.costs import evaluate_plan
from solver.result import Contract, CostSplitResult, Result, Status
from solver.split.cost_split import split_cost
from solver.split.game.play import WITHIN_SOLVE, GameSettings, budget_for_solve

log = logging.getLogger(__name__)

_DEFAULT = SolveOptions()
_MIN_BACKEND_S = 1e-3  # a backend always gets a moment, even when building took the whole limit


def solve(
    instance: Instance,
    *,
    options: SolveOptions = _DEFAULT,
    on_progress: ProgressCallback | None = None,
    game: GameSettings = WITHIN_SOLVE,
    fixed: Sequence[Contract] | None = None,
) -> Result:
    """Find the cheapest feasible plan of `instance` (SPEC §2–§5) and check it.

    A split rule that plays the coalition game (`shapley`) plays it under `game`: by default on
    a local process pool within what this solve's time limit leaves (`budget_for_solve`).
    With `fixed`, exactly those contracts (a plan's, against a new forecast): the cheapest
    assignment, or why the fixed landscape cannot cover the demand.
    """
    started = time.monotonic()
    if instance.horizon is not None:
        # SPEC §8: every period in one model (solver.horizon), checked like one year
        result = solve_horizon(instance, options=options, on_progress=on_progress, fixed=fixed)
        check(instance, result).raise_if_broken()
        return result.model_copy(update={"runtime_s": time.monotonic() - started})
    phases: dict[str, float] = {}
    data = build_data(instance)
    phases["data"] = time.monotonic() - started
    proofs = infeasibility_proofs(data)
    phases["diagnose"] = time.monotonic() - started - sum(phases.values())
    if proofs:
        return Result(
            status=Status.INFEASIBLE,
            backend=options.backend,
            runtime_s=time.monotonic() - started,
            explanation=proofs,
            instance=instance.name,
            notes=[E_("proved infeasible before solving (SPEC §6 pre-checks)")],
        )
    model = build_model(data)
    if fixed is not None:
        model = fix_contracts(model, data, fixed)
    phases["model"] = time.monotonic() - started - sum(phases.values())
    log.info("model: %d variables, %d constraints", model.n_cols, model.n_rows)
    # the time limit bounds the whole call: the backend gets what building the model left
    left = max(float(options.time_limit_s) - (time.monotonic() - started), _MIN_BACKEND_S)
    backend_options = dataclasses.replace(options, time_limit_s=left)
    outcome = get_backend(options.backend)(model, backend_options, on_progress)
    outcome = proof_holds(outcome, model, options.gap)
    phases["backend"] = time.monotonic() - started - sum(phases.values())
    result = _result(
        instance, data, model, outcome, time.monotonic() - started, options.time_limit_s, game
    )  # the time limit also bounds the explanation and a shapley split
    check(instance, result).raise_if_broken()
    phases["result_and_check"] = time.monotonic() - started - sum(phases.values())
    # runtime_s is the whole call: a shapley split or an explanation can take far longer
    # than the plan itself
    result = result.model_copy(update={"runtime_s": time.monotonic() - started})
    # the benchmarks read the phases from this record (build and solve time reported apart)
    log.info(
        "phases (s): %s",
        ", ".join(f"{name} {seconds:.3f}" for name, seconds in phases.items()),
        extra={"phases": phases},
    )
    return result


def _result(
    instance: Instance,
    data: ModelData,
    model: MatrixModel,
    outcome: BackendOutcome,
    runtime: float,
    time_limit_s: float,
    game: GameSettings,
) -> Result:
    notes = list(outcome.notes)
    common: dict[str, Any] = {"backend": outcome.backend, "instance": instance.name, "notes": notes}
    if outcome.status is Status.INFEASIBLE:
        return Result(
            status=Status.INFEASIBLE,
            runtime_s=runtime,
            # a minimal set of clashing rules and their least relaxations (infeasibility.explain),
            # within the solve's own time limit; the rules in play when that runs out
            explanation=explain_infeasible(data, model, time_limit_s=time_limit_s)
            or [
                "no plan satisfies every rule at once, although each pre-check passed: the "
                "clash lies in a combination of " + _rules_in_play(instance)
            ],
            **common,
        )
    if not outcome.status.has_solution or outcome.values is None:
        return Result(status=Status.NO_SOLUTION, runtime_s=runtime, bound=outcome.bound, **common)
    return plan_result(
        instance,
        data,
        model,
        outcome.values,
        status=outcome.status,
        bound=outcome.bound,
        runtime=runtime,
        time_limit_s=time_limit_s,
        backend=outcome.backend,
        notes=notes,
        game=game,
    )


def plan_result(
    instance: Instance,
    data: ModelData,
    model: MatrixModel,
    values: np.ndarray,
    *,
    status: Status,
    bound: float | None,
    runtime: float,
    backend: str,
    notes: list[str],
    time_limit_s: float,
    game: GameSettings = WITHIN_SOLVE,
) -> Result:
    """The result of a plan: extracted, priced (SPEC §3–§4) and split (§5); not yet checked.

    A game split plays under `game`, by default in what is left of `time_limit_s`
    (`budget_for_solve`).
    """
    # a care-type contract with no client and no rule behind it is noise to the reader
    contracts, assignments = extract_plan(data, model, drop_idle_options(data, model, values))
    evaluation = evaluate_plan(instance, contracts, assignments)
    split: CostSplitResult | None = None
    try:
        if instance.policy.cost_split.rule in GAME_RULES:
            game = budget_for_solve(
                instance, game, remaining_s=time_limit_s - runtime, solve_s=runtime
            )
        split = split_cost(instance, contracts, assignments, evaluation, game=game)
    except NotSupported as exc:
        notes.append(E_("no cost split: {reason}").format(reason=exc))
    objective = evaluation.objective
    if bound is not None and bound > objective:
        bound = objective  # a bound above the recomputed objective is solver rounding noise
    gap = None if bound is None else relative_gap(objective, bound)
    return Result(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        backend=backend,
        runtime_s=runtime,
        contracts=contracts,
        assignments=assignments,
        budgets=evaluation.budgets,
        regional_cost=evaluation.regional_cost,
        cost_split=split,
        costs=evaluation.costs,
        moved=evaluation.moved,
        instance=instance.name,
        notes=notes,
    )


def _rules_in_play(instance: Instance) -> str:
    """The user-stated rules that can clash, as a list a person can act on."""
    parts = []
    policy = instance.policy
    if policy.max_contracts is not None:
        parts.append(f"max_contracts {policy.max_contracts}")
    if policy.max_moved is not None:
        parts.append(f"max_moved {policy.max_moved}")
    if policy.n_minus_1:
        parts.append("n_minus_1")
    for lot in instance.lots:
        rules = [f"min_providers {lot.min_providers}"]
        for name in ("max_contracts", "max_units_per_municipality", "max_share", "budget_cap"):
            value = getattr(lot, name)
            if value is not None:
                rules.append(f"{name} {value}")
        if lot.task_budget is not None:
            rules.append(f"task_budget {lot.task_budget}")
        if lot.population_rate is not None:
            rules.append(f"population_rate {lot.population_rate}")
        if lot.open_house:
            rules.append("open_house")
        parts.append(f"lot {lot.id} ({', '.join(rules)})")
    parts.append("the providers' capacities and min_clients")
    return "; ".join(parts)
