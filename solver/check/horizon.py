"""The checker's view of a horizon result (SPEC §8), written from SPEC's words.

Every period is checked as a year of its own (`checker.check` on the period's instance: its
scaled figures, built here from the instance JSON and sharing no code with `solver.horizon`) with
the period's plan and money. Then the links between periods: the first term's contracts in all
its periods, a later term's contracts a subset of the period before, the clients of ended
contracts counted as that period's moved clients (they are its incumbents when it is checked, so
its transfer cost and `max_moved` are judged with it), the weighted objective, and the totals.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from solver.check.rules import Violation
from solver.instance import Instance, dump_instance, parse_instance
from solver.result import Contract, PeriodResult, Result

# checker.check, passed in: this module is imported by the checker itself
CheckYear = Callable[[Instance, Result], Any]


def check_horizon(
    instance: Instance, result: Result, check_year: CheckYear
) -> tuple[list[Violation], float | None]:
    """Every violation of the horizon rules, and the recomputed weighted objective."""
    horizon = instance.horizon
    assert horizon is not None
    out: list[Violation] = []
    periods = result.periods
    raw = dump_instance(instance)
    spec = raw["horizon"]["periods"]
    if [p.id for p in periods] != [p["id"] for p in spec]:
        out.append(
            Violation(
                "8 periods",
                f"periods[] are {[p.id for p in periods]}, the horizon's are "
                f"{[p['id'] for p in spec]}",
            )
        )
        return out, None
    total = 0.0
    term = "1"
    previous: PeriodResult | None = None
    for t, (period, given) in enumerate(zip(periods, spec, strict=True)):
        new_term = given.get("term", term)
        starts = t > 0 and new_term != term
        term = new_term
        weight = given.get("weight", 1.0 / (1.0 + horizon.discount_rate) ** t)
        if not math.isclose(period.weight, weight, rel_tol=1e-12, abs_tol=1e-12):
            out.append(Violation("8 weight", f"period {period.id}: weight {period.weight}, "
                                             f"SPEC gives {weight}"))  # fmt: skip
        if period.term != term:
            out.append(Violation("8 term", f"period {period.id}: term {period.term!r}, the "
                                           f"horizon gives {term!r}"))  # fmt: skip
        ended: dict[tuple[str, str, str], int] = {}
        if previous is not None:
            ended = _links(period, previous, starts, out)
        year = _period_instance(raw, given, first=t == 0, ended=ended)
        report = check_year(year, _as_result(result, period))
        out.extend(Violation(v.rule, f"period {period.id}: {v.message}") for v in report.violations)
        if report.objective is not None:
            total += weight * report.objective
        previous = period
    if result.objective is not None and not math.isclose(
        result.objective, total, rel_tol=1e-9, abs_tol=0.01
    ):
        said = f"the objective is {result.objective:.2f}, the periods' weighted sum {total:.2f}"
        out.append(Violation("8 objective", said))
    _totals(result, out)
    return out, total


def _links(
    period: PeriodResult, previous: PeriodResult, starts: bool, out: list[Violation]
) -> dict[tuple[str, str, str], int]:
    """Same contracts within a term, a subset at a new term; the ended contracts' clients."""
    now = _pairs(period.contracts)
    before = _pairs(previous.contracts)
    if not starts and now != before:
        out.append(Violation("8 terms", f"period {period.id} changes the contracts within a term: "
                                        f"{_diff(now, before)}"))  # fmt: skip
    if starts and not now <= before:
        started = sorted(now - before)
        out.append(Violation("8 terms", f"period {period.id} starts contracts a new term cannot "
                                        f"start: {started[:5]}"))  # fmt: skip
    gone = before - now
    clients: dict[tuple[str, str, str], int] = defaultdict(int)
    for a in previous.assignments:
        if (a.unit, a.care_type) in gone:
            clients[(a.provider, a.municipality, a.care_type)] += a.clients
    return dict(clients)


def _pairs(contracts: list[Contract]) -> set[tuple[str, str]]:
    return {(c.unit, care) for c in contracts for care in c.care_types}


def _diff(now: set[tuple[str, str]], before: set[tuple[str, str]]) -> str:
    return f"+{sorted(now - before)[:3]} −{sorted(before - now)[:3]}"


def _period_instance(
    raw: dict[str, Any], given: dict[str, Any], *, first: bool, ended: dict
) -> Instance:
    """The instance of one period with SPEC §8's scaled figures (JSON in, JSON out)."""
    data = {k: v for k, v in raw.items() if k != "horizon"}
    factor = given.get("demand_factor", 1)
    price = given.get("price_factor", 1)
    capacity = given.get("capacity_factor", 1)
    budget = given.get("budget_factor", 1)
    demand = []
    for d in raw["demand"]:
        f = factor.get(d["care_type"], 1) if isinstance(factor, dict) else factor
        demand.append({**d, "clients": math.floor(d["clients"] * f + 0.5)})
    data["demand"] = demand
    providers = []
    for p in raw["providers"]:
        q = {**p, "contract_cost": p["contract_cost"] * price}
        if "access_cost" in p:
            q["access_cost"] = {m: a * price for m, a in p["access_cost"].items()}
        q["offers"] = [{**o, "price": o["price"] * price,
                        "capacity": math.floor(o["capacity"] * capacity)}
                       for o in p["offers"]]  # fmt: skip
        q.pop("incumbent", None)
        if first and p.get("incumbent"):
            q["incumbent"] = p["incumbent"]
        providers.append(q)
    for (p, m, c), n in ended.items():
        q = next(x for x in providers if x["id"] == p)
        q.setdefault("incumbent", []).append({"municipality": m, "care_type": c, "clients": n})
    data["providers"] = providers
    data["consortia"] = [{**k, "contract_cost": k["contract_cost"] * price}
                         for k in raw.get("consortia", [])]  # fmt: skip
    data["lots"] = [{**lot, **{name: lot[name] * budget
                               for name in ("task_budget", "budget_cap", "population_rate")
                               if lot.get(name) is not None}}
                    for lot in raw["lots"]]  # fmt: skip
    # max_moved counts per period: the incumbents of the first, the ended contracts' clients later
    return parse_instance(data)


def _as_result(result: Result, period: PeriodResult) -> Result:
    """A period as a result of its own (status and backend from the horizon's)."""
    return Result(
        status=result.status,
        objective=period.objective,
        backend=result.backend,
        contracts=period.contracts,
        assignments=period.assignments,
        budgets=period.budgets,
        regional_cost=period.regional_cost,
        cost_split=period.cost_split,
        costs=period.costs,
        moved=period.moved,
    )


def _totals(result: Result, out: list[Violation]) -> None:
    """The result's totals: regional cost, split amounts (to the cent) and the first period."""
    periods = result.periods
    regional = math.fsum(p.regional_cost for p in periods)
    if result.regional_cost is not None and not math.isclose(
        result.regional_cost, regional, rel_tol=1e-9, abs_tol=0.01
    ):
        out.append(Violation("8 totals", f"regional_cost {result.regional_cost:.2f} is not the "
                                         f"periods' total {regional:.2f}"))  # fmt: skip
    if result.cost_split is not None and all(p.cost_split for p in periods):
        cents: dict[str, int] = defaultdict(int)
        for p in periods:
            for a in p.cost_split.amounts:  # type: ignore[union-attr]
                cents[a.municipality] += round(a.amount * 100)
        given = {a.municipality: round(a.amount * 100) for a in result.cost_split.amounts}
        if given != dict(cents):
            out.append(Violation("8 totals", "cost_split amounts are not the periods' totals"))
    if periods and (result.contracts != periods[0].contracts
                    or result.assignments != periods[0].assignments):  # fmt: skip
        out.append(Violation("8 totals", "contracts and assignments are not the first period's"))
