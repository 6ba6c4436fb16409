"""The rules of an instance as a user states them, each tied to its rows of the `MatrixModel`.

A *group* is one rule a person can change: max_contracts, one lot's min_providers (its coverage
rows), one lot's max_contracts, max_units_per_municipality, max_share, budget cap or task budget,
the population budget of one lot in one municipality, the demand of one (municipality, care type),
or one provider's min_clients for one care type. Every other row (capacity, the links between
variables, moved clients) is a fact of the bids or of the model and is never relaxed.

Each group knows how to be relaxed by one number `t` (see `explain`): an upper limit
becomes `activity ≤ t` (minimise t), a coverage level `Σ y ≥ t` (maximise t), a demand
`Σ x = t` (maximise t); and how to say the result in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from solver.i18n.messages import E_
from solver.model.data import ModelData
from solver.model.families import (
    BUDGET_CAP,
    COVERAGE,
    DEMAND,
    LOT_MAX_CONTRACTS,
    MAX_CONTRACTS,
    MAX_MOVED,
    MAX_SHARE,
    MAX_UNITS_PER_MUNICIPALITY,
    MIN_CLIENTS,
    N_MINUS_1,
    N_MINUS_1_LARGEST,
    OPEN_HOUSE,
    POPULATION_BUDGET,
    TASK_BUDGET,
    per_lot,
)
from solver.model.matrix import MatrixModel

# How a group is relaxed by one number t.
UPPER = "upper"  # rows A x ≤ limit: find the least t with A x ≤ t
LOWER = "lower"  # rows A x ≥ k (coverage): find the greatest t ≤ k with A x ≥ t
EXACT = "exact"  # rows A x = d (demand): find the greatest t ≤ d with A x = t
NONE = "none"  # no single number to move (min_clients sits in a coefficient)

# Keys of the region-wide rules: the policy's max_contracts and each lot's own numbers, the levers
# a region moves first (not one demand cell, one provider's min_clients or one municipality's
# population budget).
LEVER_KEYS = (
    MAX_CONTRACTS,
    COVERAGE + "[",
    LOT_MAX_CONTRACTS + "[",
    MAX_UNITS_PER_MUNICIPALITY + "[",
    MAX_SHARE + "[",
    BUDGET_CAP + "[",
    TASK_BUDGET + "[",
)


@dataclass(frozen=True, eq=False)
class Group:
    """One user-stated rule and its rows."""

    key: str
    rows: np.ndarray
    words: str  # the rule, e.g. "max_contracts 5"
    kind: str
    bound: float  # the rule's number: the limit, the coverage level, the demand
    integral: bool  # whether t is a count (whole numbers) or money
    relaxed: Callable[[float], str]  # sentence for the least relaxation t


def _euro(amount: float) -> str:
    return f"€{amount:,.2f}"


def _count(t: float) -> int:
    return int(round(t))


# Sentence makers: each binds its own values (a bare lambda in a loop would see the last ones).


def _said_demand(care: str, mun: str, need: int) -> Callable[[float], str]:
    return lambda t: E_(
        "at most {n} of the {need} clients for {care} in {municipality} can be served"
    ).format(n=_count(t), need=need, care=care, municipality=mun)


def _said_coverage(lot: str, k: int) -> Callable[[float], str]:
    return lambda t: (
        E_("lot {lot}'s min_providers must be at most {n} (it is {k})").format(
            lot=lot, n=_count(t), k=k
        )
        if _count(t) >= 1
        else E_("lot {lot} cannot cover every cell even with min_providers 1").format(lot=lot)
    )


def _said_budget(lid: str, name: str, value: float) -> Callable[[float], str]:
    return lambda t: E_("lot {lot}'s {name} must be at least {at_least} (it is {value})").format(
        lot=lid, name=name, at_least=_euro(t), value=_euro(value)
    )


def _said_population(lid: str, mun: str, pop: int, rate: float) -> Callable[[float], str]:
    return lambda t: E_(
        "lot {lot}'s care in {municipality} costs at least {cost}: population_rate must be "
        "at least {rate} per youth inhabitant (it is {value})"
    ).format(
        lot=lid, municipality=mun, cost=_euro(t), rate=_euro(t / max(pop, 1)), value=_euro(rate)
    )


def build_groups(data: ModelData, model: MatrixModel) -> list[Group]:
    """Every relaxable rule of the model, demand cells first, policy limits last.

    The deletion filter drops early groups first when it can, so this order makes explanations
    speak of rules before they speak of individual demand figures.
    """
    families = dict(model.families)
    groups = _demand_groups(data, families.get(DEMAND))
    groups += _min_clients_groups(data, families.get(MIN_CLIENTS))
    groups += _coverage_groups(data, families.get(COVERAGE))
    for li in range(len(data.instance.lots)):
        groups += _lot_groups(data, families, li)
    limit = data.instance.policy.max_contracts
    if MAX_CONTRACTS in families and limit is not None:
        groups.append(
            Group(
                key=MAX_CONTRACTS,
                rows=_rows(families[MAX_CONTRACTS]),
                words=f"max_contracts {limit}",
                kind=UPPER,
                bound=float(limit),
                integral=True,
                relaxed=lambda t: E_("max_contracts must be at least {n} (it is {limit})").format(
                    n=_count(t), limit=limit
                ),
            )
        )
    groups += _continuity_groups(data, families)
    return groups


def _continuity_groups(data: ModelData, families: dict[str, slice]) -> list[Group]:
    """policy.max_moved (a limit), policy.n_minus_1 and each Open House lot (yes/no rules)."""
    groups: list[Group] = []
    policy = data.instance.policy
    moved = policy.max_moved
    if MAX_MOVED in families and moved is not None:
        groups.append(
            Group(
                key=MAX_MOVED,
                rows=_rows(families[MAX_MOVED]),
                words=E_("max_moved {n} (at most {n} incumbent clients change provider)").format(
                    n=moved
                ),
                kind=UPPER,
                bound=float(moved),
                integral=True,
                relaxed=lambda t: E_("max_moved must be at least {n} (it is {limit})").format(
                    n=_count(t), limit=moved
                ),
            )
        )
    n_minus_1 = [
        _rows(s) for name, s in families.items()
        if name.startswith((N_MINUS_1 + "[", N_MINUS_1_LARGEST + "["))
    ]  # fmt: skip
    if policy.n_minus_1 and n_minus_1:
        groups.append(
            Group(
                key=N_MINUS_1,
                rows=np.concatenate(n_minus_1),
                words="n_minus_1 (capacity without the largest contracted unit covers demand)",
                kind=NONE,
                bound=1.0,
                integral=True,
                relaxed=lambda t: "",
            )
        )
    for lot in data.instance.lots:
        family = per_lot(OPEN_HOUSE, lot.id)
        if lot.open_house and family in families:
            groups.append(
                Group(
                    key=family,
                    rows=_rows(families[family]),
                    words=E_("lot {lot}'s Open House (every bidder contracted)").format(lot=lot.id),
                    kind=NONE,
                    bound=1.0,
                    integral=True,
                    relaxed=lambda t: "",
                )
            )
    return groups


def _rows(s: slice) -> np.ndarray:
    return np.arange(s.start, s.stop, dtype=np.int64)


def _demand_groups(data: ModelData, s: slice | None) -> list[Group]:
    """One group per (municipality, care type) with demand; rows in `formulation` cell order."""
    if s is None:
        return []
    n_c = len(data.care_type_ids)
    keys = np.unique(data.row_municipality * n_c + data.row_care)
    groups = []
    for i, key in enumerate(keys):
        m, c = divmod(int(key), n_c)
        mun, care, need = data.municipality_ids[m], data.care_type_ids[c], int(data.demand[m, c])
        groups.append(
            Group(
                key=f"demand[{mun},{care}]",
                rows=np.array([s.start + i]),
                words=E_("the demand of {need} clients for {care} in {municipality}").format(
                    need=need, care=care, municipality=mun
                ),
                kind=EXACT,
                bound=float(need),
                integral=True,
                relaxed=_said_demand(care, mun, need),
            )
        )
    return groups


def _min_clients_groups(data: ModelData, s: slice | None) -> list[Group]:
    """One group per offer with min_clients > 0, in `formulation` order."""
    if s is None:
        return []
    low = data.offer_min[data.member_offer]
    groups = []
    for i, mo in enumerate(np.flatnonzero(low > 0)):
        o = int(data.member_offer[mo])
        unit = data.unit_ids[int(data.option_unit[data.member_option[mo]])]
        provider = data.unit_ids[int(data.offer_provider[o])]
        care = data.care_type_ids[int(data.offer_care[o])]
        under = "" if unit == provider else f" (under {unit})"
        groups.append(
            Group(
                key=f"min_clients[{unit},{provider},{care}]",
                rows=np.array([s.start + i]),
                words=f"{provider}'s min_clients {int(data.offer_min[o])} for {care}{under}",
                kind=NONE,
                bound=float(data.offer_min[o]),
                integral=True,
                relaxed=lambda t: "",
            )
        )
    return groups


def _coverage_groups(data: ModelData, s: slice | None) -> list[Group]:
    """One group per lot: its coverage rows (min_providers contracted units per cell)."""
    if s is None:
        return []
    n_c = len(data.care_type_ids)
    cell_keys = np.flatnonzero(data.coverage_cells.ravel())
    cell_lot = data.care_lot[cell_keys % n_c]
    groups = []
    for li, lot in enumerate(data.instance.lots):
        rows = s.start + np.flatnonzero(cell_lot == li)
        if not len(rows):
            continue
        k = lot.min_providers
        groups.append(
            Group(
                key=f"coverage[{lot.id}]",
                rows=rows.astype(np.int64),
                words=(
                    f"lot {lot.id}'s coverage (min_providers {k}: {k} contracted unit"
                    f"{'s' if k > 1 else ''} for each municipality × care type)"
                ),
                kind=LOWER,
                bound=float(k),
                integral=True,
                relaxed=_said_coverage(lot.id, k),
            )
        )
    return groups


def _said_limit(lid: str, name: str, limit: int) -> Callable[[float], str]:
    """How a lot's count limit must change: bound now, not when the sentence is said."""
    return lambda t: E_("lot {lot}'s {name} must be at least {n} (it is {limit})").format(
        lot=lid, name=name, n=_count(t), limit=limit
    )


def _lot_groups(data: ModelData, families: dict[str, slice], li: int) -> list[Group]:
    """A lot's limits and budgets, each one group (a population budget: one per municipality)."""
    lot = data.instance.lots[li]
    lid = lot.id
    groups: list[Group] = []

    def upper(
        family: str, words: str, bound: float, integral: bool, say: Callable[[float], str]
    ) -> None:
        if family in families:
            groups.append(
                Group(family, _rows(families[family]), words, UPPER, bound, integral, say)
            )

    limits = (
        (LOT_MAX_CONTRACTS, "max_contracts", lot.max_contracts),
        (
            MAX_UNITS_PER_MUNICIPALITY,
            "max_units_per_municipality",
            lot.max_units_per_municipality,
        ),
    )
    for family, name, limit in limits:
        if limit is not None:
            upper(
                per_lot(family, lid), E_("lot {lot}'s {name} {value}").format(
                    lot=lid, name=name, value=limit), float(limit), True,
                _said_limit(lid, name, limit),
            )  # fmt: skip
    if lot.max_share is not None:
        share = lot.max_share
        clients = int(data.demand[:, data.care_lot == li].sum())
        upper(
            per_lot(MAX_SHARE, lid), E_("lot {lot}'s {name} {value}").format(
                lot=lid, name="max_share", value=f"{share:g}"),
            math.floor(share * clients + 1e-9), True,
            lambda t: E_(
                "lot {lot}'s max_share must be at least {share} ({n} of its {clients} clients "
                "for one unit; it is {value})").format(
                lot=lid, share=f"{_count(t) / max(clients, 1):.4g}", n=_count(t),
                clients=clients, value=f"{share:g}"),
        )  # fmt: skip
    for name, value in ((BUDGET_CAP, lot.budget_cap), (TASK_BUDGET, lot.task_budget)):
        if value is not None:
            upper(
                per_lot(name, lid), E_("lot {lot}'s {name} {value}").format(
                    lot=lid, name=name, value=_euro(value)), float(value), False,
                _said_budget(lid, name, value),
            )  # fmt: skip
    groups += _population_groups(data, families.get(per_lot(POPULATION_BUDGET, lid)), li)
    return groups


def _population_groups(data: ModelData, s: slice | None, li: int) -> list[Group]:
    """One group per municipality of a population-based lot (rows in municipality order)."""
    if s is None:
        return []
    lot = data.instance.lots[li]
    rate = float(lot.population_rate or 0.0)
    muns = np.unique(data.row_municipality[data.row_lot == li])
    groups = []
    for i, m in enumerate(muns):
        mun, pop = data.municipality_ids[int(m)], int(data.population[int(m)])
        budget = rate * pop
        groups.append(
            Group(
                key=f"population_budget[{lot.id},{mun}]",
                rows=np.array([s.start + i]),
                words=(
                    f"lot {lot.id}'s population budget in {mun}: {_euro(budget)} "
                    f"({_euro(rate)} × {pop} youth)"
                ),
                kind=UPPER,
                bound=budget,
                integral=False,
                relaxed=_said_population(lot.id, mun, pop, rate),
            )
        )
    return groups
