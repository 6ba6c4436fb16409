"""Solve a horizon (SPEC §8): one MILP over all periods, a result with one entry per period.

`solve.solve` hands an instance with a `horizon` here. The stacked model (`model.build_horizon`)
goes to the chosen backend like a single year's; each period's plan is read back, priced with its
own figures (a later term's first period counts the clients of ended contracts as its moved
clients, with their transfer cost) and split by the region's rule. The result's plan fields hold
the first period (the contracts the tender awards); budgets, costs, regional cost and split are
the totals over the horizon; `objective` is the weighted sum; `periods[]` has every period.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from solver.backends.highs.backend import solve_highs
from solver.backends.outcome import BackendOutcome, proof_holds, relative_gap
from solver.backends.registry import get_backend
from solver.errors import NotSupported
from solver.horizon.model import HorizonModel, build_horizon
from solver.horizon.periods import with_ended
from solver.horizon.start import start_plan
from solver.i18n.messages import E_
from solver.infeasibility.explain import explain_infeasible
from solver.infeasibility.precheck import infeasibility_proofs
from solver.instance import GAME_RULES, Instance
from solver.model.plan import extract_plan
from solver.model.variants import fix_contracts
from solver.options import ProgressCallback, SolveOptions
from solver.pricing.costs import evaluate_plan
from solver.result import (
    Assignment,
    Budget,
    Contract,
    Costs,
    CostSplitResult,
    MunicipalityAmount,
    PeriodResult,
    Result,
    SplitParts,
    Status,
)
from solver.split.cost_split import split_cost
from solver.split.game.play import WITHIN_SOLVE

_MIN_BACKEND_S = 1e-3


def solve_horizon(
    instance: Instance,
    *,
    options: SolveOptions,
    on_progress: ProgressCallback | None = None,
    fixed: Sequence[Contract] | None = None,
) -> Result:
    """The cheapest horizon plan (weighted objective), not yet checked (`solve` checks it).

    With `fixed`, the first term holds exactly those contracts (later terms may still end some).
    """
    started = time.monotonic()
    built = build_horizon(instance)
    if fixed is not None:
        model = fix_contracts(built.model, built.data[0], fixed, own=built.models[0],
                              columns=built.columns[0])  # fmt: skip
        built = dataclasses.replace(built, model=model)
    common = {"backend": options.backend, "instance": instance.name}
    for spec, data in zip(built.specs, built.data, strict=True):
        proofs = infeasibility_proofs(data)
        if proofs:
            return Result(
                status=Status.INFEASIBLE,
                runtime_s=time.monotonic() - started,
                explanation=[f"period {spec.id}: {p}" for p in proofs],
                notes=[E_("proved infeasible before solving (SPEC §6 pre-checks, per period)")],
                **common,
            )
    deadline = started + float(options.time_limit_s)
    start = None
    if options.backend == "highs" and fixed is None:
        start = start_plan(instance, built, options, deadline)
    left = max(deadline - time.monotonic(), _MIN_BACKEND_S)
    timed = dataclasses.replace(options, time_limit_s=left)
    if start is not None:
        outcome = solve_highs(built.model, timed, on_progress, start=start)
        if outcome.values is None and outcome.status is not Status.INFEASIBLE:
            # out of time before HiGHS took the start: the start is a plan of every period
            note = E_("the time ran out: the plan is the start from the peak year's landscape")
            outcome = BackendOutcome(Status.FEASIBLE, start, outcome.bound, outcome.backend,
                                     [*outcome.notes, note])  # fmt: skip
    else:
        outcome = get_backend(options.backend)(built.model, timed, on_progress)
    outcome = proof_holds(outcome, built.model, options.gap)
    runtime = time.monotonic() - started
    common = {"backend": outcome.backend, "instance": instance.name}
    if outcome.status is Status.INFEASIBLE:
        return Result(
            status=Status.INFEASIBLE,
            runtime_s=runtime,
            explanation=_why_infeasible(built, options, fixed),
            notes=list(outcome.notes),
            **common,
        )
    if not outcome.status.has_solution or outcome.values is None:
        return Result(status=Status.NO_SOLUTION, runtime_s=runtime, bound=outcome.bound,
                      notes=list(outcome.notes), **common)  # fmt: skip
    return _result(instance, built, outcome, runtime)


def _why_infeasible(
    built: HorizonModel, options: SolveOptions, fixed: Sequence[Contract] | None
) -> list[str]:
    """A period infeasible on its own says why; else the periods clash through the contracts.

    With `fixed` contracts each period is asked with those contracts (ending some never adds
    capacity or cover), so the explanation names the cells the landscape cannot serve.
    """
    for spec, data, model in zip(built.specs, built.data, built.models, strict=True):
        if fixed is not None:
            model = fix_contracts(model, data, fixed)
        alone = get_backend("highs")(model, dataclasses.replace(options, log=False), None)
        if alone.status is Status.INFEASIBLE:
            why = explain_infeasible(data, model, time_limit_s=options.time_limit_s)
            return [f"period {spec.id}: {w}" for w in why] or [
                f"period {spec.id} has no plan on its own"
            ]
    return [
        "every period has a plan on its own, but no set of contracts chosen for the first term "
        "serves every later period: contracts may end at a new term, never start, so the "
        "first term's landscape must also carry the later periods' demand"
    ]


def _result(
    instance: Instance, built: HorizonModel, outcome: BackendOutcome, runtime: float
) -> Result:
    assert outcome.values is not None
    notes = list(outcome.notes)
    game = instance.policy.cost_split.rule in GAME_RULES
    if game:
        notes.append(
            E_(
                "no cost split: the {rule} game over a horizon (c(S) as S's horizon objective) is "
                "not built yet; split by usage, population, mixed or key"
            ).format(rule=instance.policy.cost_split.rule)
        )
    periods: list[PeriodResult] = []
    previous: tuple[list[Contract], list[Assignment]] | None = None
    for t, spec in enumerate(built.specs):
        values = outcome.values[built.columns[t]]
        contracts, assignments = extract_plan(built.data[t], built.models[t], values)
        ended_contracts: list[Contract] = []
        priced = built.instances[t]
        if spec.starts_term and previous is not None:
            ended_contracts, ended = _ended(previous, contracts)
            priced = with_ended(priced, ended)
        evaluation = evaluate_plan(priced, contracts, assignments)
        split = None
        if not game:
            try:
                split = split_cost(priced, contracts, assignments, evaluation, game=WITHIN_SOLVE)
            except NotSupported as exc:
                notes.append(
                    E_("period {period}: no cost split: {reason}").format(
                        period=spec.id, reason=exc
                    )
                )
        periods.append(
            PeriodResult(
                id=spec.id,
                term=spec.term,
                weight=spec.weight,
                objective=evaluation.objective,
                contracts=contracts,
                assignments=assignments,
                budgets=evaluation.budgets,
                regional_cost=evaluation.regional_cost,
                cost_split=split,
                costs=evaluation.costs,
                moved=evaluation.moved,
                ended=ended_contracts,
            )
        )
        previous = (contracts, assignments)
    objective = math.fsum(p.weight * p.objective for p in periods)
    bound = outcome.bound
    if bound is not None and bound > objective:
        bound = objective  # solver rounding noise above the recomputed objective
    first = periods[0]
    return Result(
        status=outcome.status,
        objective=objective,
        bound=bound,
        gap=None if bound is None else relative_gap(objective, bound),
        backend=outcome.backend,
        runtime_s=runtime,
        contracts=first.contracts,
        assignments=first.assignments,
        budgets=_total_budgets(periods),
        regional_cost=math.fsum(p.regional_cost for p in periods),
        cost_split=_total_split(periods),
        costs=_total_costs(periods),
        moved=first.moved,
        periods=periods,
        instance=instance.name,
        notes=notes,
    )


def _ended(
    previous: tuple[list[Contract], list[Assignment]], contracts: list[Contract]
) -> tuple[list[Contract], dict[tuple[str, str, str], int]]:
    """Contracts (unit, care type) of the period before that end now, and their clients."""
    now = {(c.unit, care) for c in contracts for care in c.care_types}
    before_contracts, before_assignments = previous
    ended_contracts = []
    for c in before_contracts:
        gone = [care for care in c.care_types if (c.unit, care) not in now]
        if gone:
            ended_contracts.append(Contract(unit=c.unit, care_types=gone))
    gone_pairs = {(c.unit, care) for c in ended_contracts for care in c.care_types}
    clients: dict[tuple[str, str, str], int] = defaultdict(int)
    for a in before_assignments:
        if (a.unit, a.care_type) in gone_pairs:
            clients[(a.provider, a.municipality, a.care_type)] += a.clients
    return ended_contracts, dict(clients)


def _total_budgets(periods: list[PeriodResult]) -> list[Budget]:
    totals: dict[tuple[str, str, str], float] = {}
    for p in periods:
        for b in p.budgets:
            key = (b.unit, b.lot, b.funding)
            totals[key] = totals.get(key, 0.0) + b.amount
    return [Budget(unit=u, lot=lot, funding=f, amount=a) for (u, lot, f), a in totals.items()]


def _total_costs(periods: list[PeriodResult]) -> Costs | None:
    parts = [p.costs for p in periods if p.costs is not None]
    if not parts:
        return None
    return Costs(
        **{
            name: math.fsum(getattr(c, name) for c in parts)
            for name in ("contract_cost", "care_cost", "transfer_cost", "quality_bonus", "payouts")
        },
        moved_clients=sum(c.moved_clients for c in parts),
    )


def _total_split(periods: list[PeriodResult]) -> CostSplitResult | None:
    """Each municipality's amounts over the periods (each period split to the cent)."""
    splits = [p.cost_split for p in periods]
    if any(s is None for s in splits) or not splits:
        return None
    first = splits[0]
    assert first is not None
    cents: dict[str, int] = defaultdict(int)
    parts: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(3))
    for s in splits:
        assert s is not None
        for a in s.amounts:
            cents[a.municipality] += round(a.amount * 100)
        for part in s.parts or []:
            parts[part.municipality] += (part.care, part.contract, part.transfer)
    return CostSplitResult(
        rule=first.rule,
        amounts=[MunicipalityAmount(municipality=m, amount=n / 100) for m, n in cents.items()],
        parts=[
            SplitParts(municipality=m, care=float(v[0]), contract=float(v[1]),
                       transfer=float(v[2]))
            for m, v in parts.items()
        ] or None,
    )  # fmt: skip
