"""The checker's feasibility rules, SPEC §2 rules 1–7, each naming the ids involved.

Part of the independent checker (`solver.check`). Counts are compared as exact integers; money
limits (rule 7) with a small tolerance, as a MILP solver meets them only within its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from solver.check.index import InstanceIndex, PlanLedger
from solver.check.money import Money
from solver.result import Assignment, Result


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: the SPEC clause (e.g. "2.3 demand") and a message naming every id."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def limit_tolerance(limit: float) -> float:
    """Slack on a money limit: 1e-6 relative, at least one cent."""
    return max(0.01, 1e-6 * abs(limit))


def _names(ids: list[str]) -> str:
    return ", ".join(ids)


def check_contracts(
    ix: InstanceIndex, result: Result, out: list[Violation]
) -> dict[str, tuple[str, ...]]:
    """The shape of `contracts[]`; returns unit -> care types for the units contracted (≥ 1)."""
    held: dict[str, list[str]] = {}
    for i, contract in enumerate(result.contracts):
        u = contract.unit
        if u not in ix.units:
            out.append(Violation("2 contracts", f"contracts[{i}] names unknown unit {u}"))
            continue
        if u in held:
            out.append(Violation("2 contracts", f"unit {u} is listed more than once in contracts"))
        care_types = held.setdefault(u, [])
        for c in contract.care_types:
            if c not in ix.lot_of:
                out.append(Violation("2 contracts", f"unit {u} is contracted for unknown care {c}"))
            elif c in care_types:
                out.append(Violation("2 contracts", f"unit {u} is contracted for {c} twice"))
            else:
                if not any((p, c) in ix.offers for p in ix.units[u]):
                    members = _names(list(ix.units[u]))
                    out.append(
                        Violation(
                            "2 contracts",
                            f"unit {u} is contracted for {c}, which none of its members "
                            f"({members}) offers",
                        )
                    )
                care_types.append(c)
    return {u: tuple(held[u]) for u in ix.units if held.get(u)}


def check_assignments(
    ix: InstanceIndex, result: Result, tally: PlanLedger, out: list[Violation]
) -> None:
    """Rule 2 per assignment (and clients > 0, whole), counting each one into `tally`."""
    contracted = {u: frozenset(cs) for u, cs in tally.contracted.items()}
    for i, a in enumerate(result.assignments):
        u, p, m, c = a.unit, a.provider, a.municipality, a.care_type
        if not isinstance(a.clients, int) or isinstance(a.clients, bool) or a.clients <= 0:
            out.append(
                Violation(
                    "2 assignments",
                    f"{_where(i, a)}: clients must be whole and > 0, not {a.clients}",
                )
            )
            continue
        problems = []
        known_u, known_p = u in ix.units, p in ix.served
        known_m, known_c = m in ix.population, c in ix.lot_of
        if not (known_u and known_p and known_m and known_c):
            for value, known, kind in (
                (u, known_u, "unit"),
                (p, known_p, "provider"),
                (m, known_m, "municipality"),
                (c, known_c, "care type"),
            ):
                if not known:
                    problems.append(f"unknown {kind} {value}")
        if known_u and known_c and c not in contracted.get(u, ()):
            problems.append(f"unit {u} is not contracted for {c}")
        if known_u and known_p and p not in ix.units[u]:
            problems.append(f"provider {p} is not a member of unit {u}")
        if known_p and known_c and (p, c) not in ix.offers:
            problems.append(f"provider {p} does not offer {c}")
        if known_p and known_m and not ix.serves(p, m):
            problems.append(f"provider {p} does not serve {m}")
        if problems:
            out.append(Violation("2.2 assignment", f"{_where(i, a)}: " + "; ".join(problems)))
        tally.add(ix, a)


def _where(i: int, a: Assignment) -> str:
    return f"assignments[{i}] ({a.care_type} in {a.municipality} by {a.provider} under {a.unit})"


def check_one_unit(ix: InstanceIndex, tally: PlanLedger, out: list[Violation]) -> None:
    """Rule 1: each provider belongs to at most one contracted unit."""
    for p, units in _owners(ix, tally).items():
        if len(units) > 1:
            out.append(
                Violation(
                    "2.1 one unit per provider",
                    f"provider {p} is in {len(units)} contracted units: {_names(units)}",
                )
            )


def _owners(ix: InstanceIndex, tally: PlanLedger) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for u in tally.contracted:
        for p in ix.units[u]:
            owners[p].append(u)
    return owners


def check_demand(ix: InstanceIndex, tally: PlanLedger, out: list[Violation]) -> None:
    """Rule 3: assigned clients = demand for every (municipality, care type), missing = 0."""
    for (m, c), want in ix.demand.items():
        got = tally.clients_mc.get((m, c), 0)
        if got != want:
            out.append(Violation("2.3 demand", f"demand for {c} in {m} is {want}, assigned {got}"))
    for (m, c), got in tally.clients_mc.items():
        if (m, c) not in ix.demand and got != 0:
            out.append(Violation("2.3 demand", f"demand for {c} in {m} is 0, assigned {got}"))


def check_capacity(ix: InstanceIndex, tally: PlanLedger, out: list[Violation]) -> None:
    """Rule 4: capacity per offer; min_clients when the provider's unit is contracted for it.

    Not in an Open House lot, where `min_clients` does not apply (SPEC §1).
    """
    owners = _owners(ix, tally)
    open_house = {lot_id for lot_id, lot in ix.lots.items() if lot.open_house}
    for (p, c), offer in ix.offers.items():
        n = tally.clients_pc.get((p, c), 0)
        if n > offer.capacity:
            out.append(
                Violation(
                    "2.4 capacity",
                    f"provider {p} has {n} clients of {c}, its capacity is {offer.capacity}",
                )
            )
        # an Open House guarantees no volume: min_clients does not apply (SPEC §1)
        if n < offer.min_clients and ix.lot_of[c] not in open_house:
            holding = [u for u in owners.get(p, []) if c in tally.contracted[u]]
            if holding:
                out.append(
                    Violation(
                        "2.4 min_clients",
                        f"provider {p} has {n} clients of {c} while unit {_names(holding)} is "
                        f"contracted for it, min_clients is {offer.min_clients}",
                    )
                )


def check_coverage(ix: InstanceIndex, tally: PlanLedger, out: list[Violation]) -> None:
    """Rule 5: k contracted units can serve each (m, c) with demand; every m in population lots."""
    # Counted, not listed: units whose members serve everywhere once per care type, the others
    # once per municipality they reach. Only a failing cell looks up its units again.
    everywhere: dict[str, int] = defaultdict(int)
    local: dict[tuple[str, str], int] = defaultdict(int)
    for u, care_types in tally.contracted.items():
        for c in care_types:
            reach: set[str] = set()
            offering = [p for p in ix.units[u] if (p, c) in ix.offers]
            if any(ix.served[p] is None for p in offering):
                everywhere[c] += 1
                continue
            for p in offering:
                reach |= ix.served[p] or frozenset()
            for m in reach:
                local[(m, c)] += 1
    cells = [cell for cell, n in ix.demand.items() if n > 0]
    for lot_id, lot in ix.lots.items():
        if lot.funding == "population_based":
            cells += [(m, c) for c in ix.care_types_of[lot_id] for m in ix.municipalities]
    for m, c in dict.fromkeys(cells):
        lot = ix.lots[ix.lot_of[c]]
        count = everywhere.get(c, 0) + local.get((m, c), 0)
        if count < lot.min_providers:
            units = [u for u, cs in tally.contracted.items() if c in cs and ix.can_serve(u, c, m)]
            having = f" ({_names(units)})" if units else ""
            out.append(
                Violation(
                    "2.5 coverage",
                    f"{c} in {m} (lot {lot.id}) needs {lot.min_providers} contracted unit(s) "
                    f"that can serve it, has {count}{having}",
                )
            )


def check_limits(ix: InstanceIndex, tally: PlanLedger, out: list[Violation]) -> None:
    """Rule 6: max_contracts (policy and lot), max_units_per_municipality, max_share."""
    most = ix.instance.policy.max_contracts
    if most is not None and len(tally.contracted) > most:
        out.append(
            Violation(
                "2.6 max_contracts",
                f"{len(tally.contracted)} units are contracted ({_names(list(tally.contracted))}),"
                f" policy.max_contracts is {most}",
            )
        )
    holders: dict[str, list[str]] = {lot: [] for lot in ix.lots}
    for u, care_types in tally.contracted.items():
        for lot_id in dict.fromkeys(ix.lot_of[c] for c in care_types):
            holders[lot_id].append(u)
    units_lm: dict[tuple[str, str], list[str]] = defaultdict(list)
    clients_ul: dict[tuple[str, str], int] = defaultdict(int)
    clients_l: dict[str, int] = defaultdict(int)
    for (u, lot_id, m), n in tally.clients_ulm.items():
        if n > 0:
            units_lm[(lot_id, m)].append(u)
        clients_ul[(u, lot_id)] += n
        clients_l[lot_id] += n
    for lot_id, lot in ix.lots.items():
        if lot.max_contracts is not None and len(holders[lot_id]) > lot.max_contracts:
            out.append(
                Violation(
                    "2.6 lot max_contracts",
                    f"lot {lot_id} has {len(holders[lot_id])} contracted units "
                    f"({_names(holders[lot_id])}), its max_contracts is {lot.max_contracts}",
                )
            )
    for (lot_id, m), units in units_lm.items():
        most = ix.lots[lot_id].max_units_per_municipality
        if most is not None and len(units) > most:
            out.append(
                Violation(
                    "2.6 max_units_per_municipality",
                    f"{len(units)} units have clients of lot {lot_id} in {m} ({_names(units)}), "
                    f"its max_units_per_municipality is {most}",
                )
            )
    for (u, lot_id), n in clients_ul.items():
        sigma = ix.lots[lot_id].max_share
        # The share as the decimal the user wrote (0.3, not the float just below it), exactly.
        if sigma is not None and n > Fraction(repr(sigma)) * clients_l[lot_id]:
            out.append(
                Violation(
                    "2.6 max_share",
                    f"unit {u} has {n} of the {clients_l[lot_id]} clients of lot {lot_id}, "
                    f"more than its max_share {sigma}",
                )
            )


def check_budget_rules(ix: InstanceIndex, money: Money, out: list[Violation]) -> None:
    """Rule 7: budget_cap, task_budget, population_rate × youth_population per municipality."""
    for lot_id, lot in ix.lots.items():
        payout = money.payouts[lot_id]
        if lot.budget_cap is not None and payout > lot.budget_cap + limit_tolerance(lot.budget_cap):
            out.append(
                Violation(
                    "2.7 budget_cap",
                    f"lot {lot_id} pays out {payout:.2f}, its budget_cap is {lot.budget_cap:.2f}",
                )
            )
        care = {m: money.care_lm.get((lot_id, m), 0.0) for m in ix.municipalities}
        if lot.funding == "task_based" and lot.task_budget is not None:
            total = sum(care.values())
            if total > lot.task_budget + limit_tolerance(lot.task_budget):
                out.append(
                    Violation(
                        "2.7 task_budget",
                        f"care cost of lot {lot_id} is {total:.2f}, "
                        f"its task_budget is {lot.task_budget:.2f}",
                    )
                )
        if lot.funding == "population_based" and lot.population_rate is not None:
            for m, cost in care.items():
                cap = lot.population_rate * ix.population[m]
                if cost > cap + limit_tolerance(cap):
                    out.append(
                        Violation(
                            "2.7 population_rate",
                            f"care cost of lot {lot_id} in {m} is {cost:.2f}, more than "
                            f"population_rate × youth_population = {cap:.2f}",
                        )
                    )
