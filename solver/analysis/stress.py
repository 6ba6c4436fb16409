"""The contracted landscape under stress (`dekkend stress`): what if one contracted unit fails.

For each contracted unit of a plan, remove it, keep every other contract and every other
client where they are, and re-place its clients at least cost on the spare capacity of the units
still contracted for their care type and able to reach their municipality. That is a
transportation problem (each flow in one capacity row and one demand row), so its LP has a
whole-number optimum and one HiGHS LP per unit is exact: no MIP is needed. Clients that cannot be
placed are counted per municipality and care type (the LP places as many as it can first).

Kept while re-placing: demand, capacity, reach. The tender's selection limits (max_share,
max_units_per_municipality, budgets) do not bind an emergency placement; coverage does count:
each cell left with fewer contracted units than its lot's `min_providers` is reported.

Concentration is flagged apart (`concentration`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from solver.analysis.concentration import CONCENTRATION, Concentration, concentration
from solver.analysis.fan_out import Progress, fan_out
from solver.i18n.messages import E_
from solver.instance import Instance, unit_names
from solver.result import Result

_SHORT_PENALTY = 1e9  # per unplaced client: placing comes first, cost second


class NotThisInstance(ValueError):
    """The result does not belong to the instance (another region, or no plan)."""


@dataclass(frozen=True, slots=True)
class Shortfall:
    """Clients of one (municipality, care type) that no remaining unit can take."""

    municipality: str
    care_type: str
    clients: int


@dataclass(frozen=True, slots=True)
class CoverageGap:
    """A cell left with fewer contracted units than its lot's min_providers."""

    municipality: str
    care_type: str
    units: int
    needed: int


@dataclass(frozen=True)
class UnitLoss:
    """What losing one contracted unit does to the plan."""

    unit: str
    name: str
    clients: int  # clients the unit had in the plan (all of them must move)
    placed: int  # of those, re-placed with the remaining units
    # objective terms: their care at the new units − at the lost unit (None: not all placed)
    extra_cost: float | None
    short: list[Shortfall] = field(default_factory=list)
    coverage: list[CoverageGap] = field(default_factory=list)

    @property
    def absorbed(self) -> bool:
        """Every client re-placed and every cell still covered: the plan survives the loss."""
        return not self.short and not self.coverage

    def words(self) -> str:
        """The outcome in a sentence a procurement team can repeat."""
        if self.clients == 0 and not self.coverage:
            return E_("no clients in the plan; nothing to re-place")
        parts = []
        if self.extra_cost is not None:
            form = (
                E_("all {n} clients re-placed, at {cost} a year more")
                if (self.extra_cost >= 0)
                else E_("all {n} clients re-placed, at {cost} a year less")
            )
            parts.append(form.format(n=f"{self.clients:,}", cost=f"€{abs(self.extra_cost):,.0f}"))
        else:
            left = sum(s.clients for s in self.short)
            cells = ", ".join(f"{s.care_type} in {s.municipality} ({s.clients})"
                              for s in self.short[:4])  # fmt: skip
            more = f" and {len(self.short) - 4} more" if len(self.short) > 4 else ""
            parts.append(
                E_(
                    "{left} of its {n} clients find no place with the remaining contracts (no "
                    "spare capacity that reaches them): {cells}"
                ).format(left=f"{left:,}", n=f"{self.clients:,}", cells=cells + more)
            )
        if self.coverage:
            gaps = ", ".join(f"{g.care_type} in {g.municipality} ({g.units} of {g.needed})"
                             for g in self.coverage[:4])  # fmt: skip
            more = f" and {len(self.coverage) - 4} more" if len(self.coverage) > 4 else ""
            parts.append(E_("coverage falls below min_providers: {gaps}").format(gaps=gaps + more))
        return "; ".join(parts)


@dataclass(frozen=True)
class StressReport:
    """Every contracted unit's loss, and the concentration flags."""

    losses: list[UnitLoss]
    concentration: list[Concentration]
    threshold: float

    def to_dict(self) -> dict:
        """JSON data: per unit its outcome in numbers and words; the flags with their shares."""
        return {
            "threshold": self.threshold,
            "units": len(self.losses),
            "absorbed": sum(loss.absorbed for loss in self.losses),
            "losses": [
                {
                    "unit": x.unit,
                    "name": x.name,
                    "absorbed": x.absorbed,
                    "clients": x.clients,
                    "placed": x.placed,
                    "extra_cost": None if x.extra_cost is None else round(x.extra_cost, 2),
                    "short": [vars_of(s) for s in x.short],
                    "coverage": [vars_of(g) for g in x.coverage],
                    "words": x.words(),
                }
                for x in self.losses
            ],
            "concentration": [
                vars_of(c) | {"share": round(c.share, 4)} for c in self.concentration
            ],
        }


def vars_of(item: object) -> dict:
    """A slotted dataclass as a dict."""
    return {name: getattr(item, name) for name in item.__slots__}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Plan:
    """The instance and plan as look-ups the losses share."""

    instance: Instance
    members: dict[str, tuple[str, ...]]  # unit -> providers
    contracted: dict[str, tuple[str, ...]]  # unit -> care types
    unit_of: dict[str, str]  # provider -> its contracted unit
    clients_pc: dict[tuple[str, str], int]  # (provider, care type) -> clients in the plan
    unit_cells: dict[str, dict[tuple[str, str, str], int]]  # unit -> (p, m, c) -> clients
    offers: dict[tuple[str, str], tuple[int, float, float]]  # (p, c) -> capacity, price, quality
    served: dict[str, frozenset[str] | None]
    access: dict[str, dict[str, float]]


def _index(instance: Instance, result: Result) -> _Plan:
    if not result.status.has_solution:
        raise NotThisInstance(f"the result has no plan (status {result.status.value})")
    if result.instance is not None and result.instance != instance.name:
        raise NotThisInstance(
            f"the result is of instance {result.instance!r}, not of {instance.name!r}"
        )
    members: dict[str, tuple[str, ...]] = {p.id: (p.id,) for p in instance.providers}
    members |= {k.id: tuple(k.members) for k in instance.consortia}
    offers = {(p.id, o.care_type): (o.capacity, o.price, o.quality)
              for p in instance.providers for o in p.offers}  # fmt: skip
    contracted: dict[str, tuple[str, ...]] = {}
    unit_of: dict[str, str] = {}
    for c in result.contracts:
        if c.unit not in members:
            raise NotThisInstance(f"the result contracts unit {c.unit!r}, unknown to the instance")
        contracted[c.unit] = tuple(c.care_types)
        for p in members[c.unit]:
            unit_of[p] = c.unit
    clients_pc: dict[tuple[str, str], int] = defaultdict(int)
    unit_cells: dict[str, dict[tuple[str, str, str], int]] = defaultdict(lambda: defaultdict(int))
    for a in result.assignments:
        if (a.provider, a.care_type) not in offers:
            raise NotThisInstance(
                f"the result assigns {a.care_type} to {a.provider}, which does not offer it here"
            )
        clients_pc[(a.provider, a.care_type)] += a.clients
        unit_cells[a.unit][(a.provider, a.municipality, a.care_type)] += a.clients
    return _Plan(
        instance=instance,
        members=members,
        contracted=contracted,
        unit_of=unit_of,
        clients_pc=dict(clients_pc),
        unit_cells={u: dict(cells) for u, cells in unit_cells.items()},
        offers=offers,
        served={
            p.id: None if p.municipalities is None else frozenset(p.municipalities)
            for p in instance.providers
        },  # fmt: skip
        access={p.id: dict(p.access_cost) for p in instance.providers},
    )


def _per_client(plan: _Plan, p: str, m: str, c: str) -> float:
    """Objective per client (SPEC §3): price + access − quality_weight × quality."""
    _, price, quality = plan.offers[(p, c)]
    weight = plan.instance.policy.quality_weight
    return price + plan.access[p].get(m, 0.0) - weight * quality


def _serves(plan: _Plan, p: str, m: str) -> bool:
    served = plan.served[p]
    return served is None or m in served


def lose_unit(plan: _Plan, lost: str) -> UnitLoss:
    """Remove `lost`, keep every other contract and client, re-place its clients (one LP)."""
    cells = plan.unit_cells.get(lost, {})
    need: dict[tuple[str, str], int] = defaultdict(int)
    old_cost = 0.0
    for (p, m, c), n in cells.items():
        need[(m, c)] += n
        old_cost += n * _per_client(plan, p, m, c)
    # spare capacity of every remaining member offer the plan contracts
    spare: list[tuple[str, str, int]] = []
    for u, care_types in plan.contracted.items():
        if u == lost:
            continue
        for c in care_types:
            for p in plan.members[u]:
                if (p, c) in plan.offers:
                    room = plan.offers[(p, c)][0] - plan.clients_pc.get((p, c), 0)
                    if room > 0:
                        spare.append((p, c, room))
    demand = sorted(need)
    row_of_cell = {cell: i for i, cell in enumerate(demand)}
    cols: list[tuple[int, int]] = []  # (spare row, demand row)
    cost: list[float] = []
    for s, (p, c, _) in enumerate(spare):
        for m in {m for (m, cc) in demand if cc == c}:
            if _serves(plan, p, m):
                cols.append((s, row_of_cell[(m, c)]))
                cost.append(_per_client(plan, p, m, c))
    placed, new_cost, short = _transport(spare, demand, need, cols, cost)
    return UnitLoss(
        unit=lost,
        name=unit_names(plan.instance).get(lost, lost),
        clients=sum(need.values()),
        placed=placed,
        extra_cost=new_cost - old_cost if not short else None,
        short=short,
        coverage=_coverage_gaps(plan, lost),
    )


def _transport(
    spare: list[tuple[str, str, int]],
    demand: list[tuple[str, str]],
    need: dict[tuple[str, str], int],
    cols: list[tuple[int, int]],
    cost: list[float],
) -> tuple[int, float, list[Shortfall]]:
    """Place as many clients as possible, then at least cost: (placed, cost, shortfalls)."""
    total = sum(need.values())
    if total == 0:
        return 0, 0.0, []
    n_x, n_s, n_d = len(cols), len(spare), len(demand)
    # columns: flows, then one shortfall per demand cell
    s_rows = np.array([s for s, _ in cols], dtype=np.int64)
    d_rows = np.array([d for _, d in cols], dtype=np.int64)
    a_ub = sp.csr_matrix((np.ones(n_x), (s_rows, np.arange(n_x))), shape=(n_s, n_x + n_d))
    a_eq = sp.csr_matrix(
        (np.ones(n_x + n_d), (np.concatenate([d_rows, np.arange(n_d)]),
                              np.concatenate([np.arange(n_x), n_x + np.arange(n_d)]))),
        shape=(n_d, n_x + n_d),
    )  # fmt: skip
    c = np.concatenate([np.asarray(cost, dtype=np.float64), np.full(n_d, _SHORT_PENALTY)])
    res = linprog(
        c,
        A_ub=a_ub if n_s else None,
        b_ub=np.array([room for *_, room in spare], dtype=np.float64) if n_s else None,
        A_eq=a_eq,
        b_eq=np.array([need[cell] for cell in demand], dtype=np.float64),
        bounds=(0, None),
        method="highs-ds",  # simplex: a vertex, whole numbers on this network matrix
    )
    if res.status != 0:
        raise RuntimeError(f"the re-placement LP failed: {res.message}")
    flows = np.rint(res.x[:n_x])
    left = np.rint(res.x[n_x:]).astype(np.int64)
    short = [Shortfall(m, c_, int(n)) for (m, c_), n in zip(demand, left, strict=True) if n > 0]
    return int(total - left.sum()), float(np.asarray(cost) @ flows) if n_x else 0.0, short


def _coverage_gaps(plan: _Plan, lost: str) -> list[CoverageGap]:
    """Cells needing cover whose contracted units, without `lost`, fall below min_providers."""
    instance = plan.instance
    lot_of = {c.id: c.lot for c in instance.care_types}
    lots = {lot.id: lot for lot in instance.lots}
    demand = {(d.municipality, d.care_type): d.clients for d in instance.demand}
    cells = [cell for cell, n in demand.items() if n > 0]
    for lot in instance.lots:
        if lot.funding == "population_based":
            cells += [(m.id, c.id) for c in instance.care_types if c.lot == lot.id
                      for m in instance.municipalities]  # fmt: skip
    gaps = []
    for m, c in dict.fromkeys(cells):
        if not any(
            (p, c) in plan.offers and _serves(plan, p, m) for p in plan.members[lost]
        ) or c not in plan.contracted.get(lost, ()):
            continue  # the lost unit did not count here
        need = lots[lot_of[c]].min_providers
        if plan.instance.policy.n_minus_1 and demand.get((m, c), 0) > 0:
            need = max(need, 2)
        have = sum(
            1
            for u, care_types in plan.contracted.items()
            if u != lost
            and c in care_types
            and any((p, c) in plan.offers and _serves(plan, p, m) for p in plan.members[u])
        )
        if have < need:
            gaps.append(CoverageGap(m, c, have, need))
    return gaps


def _lose(context: tuple[Instance, Result], unit: str) -> UnitLoss:
    """Task body on any worker: the loss of one unit (the plan indexed once per worker)."""
    key = id(context)
    plan = _PLANS.get(key)
    if plan is None:
        _PLANS.clear()
        plan = _PLANS[key] = _index(*context)
    return lose_unit(plan, unit)


_PLANS: dict[int, _Plan] = {}  # per worker: the plan being stressed


def stress(
    instance: Instance,
    result: Result,
    *,
    threshold: float = CONCENTRATION,
    engine: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    on_done: Progress | None = None,
) -> StressReport:
    """Lose each contracted unit in turn; flag concentration above `threshold`.

    The losses fan out on `engine` (`fan_out`), in contract order whatever the engine.
    Raises `NotThisInstance` when the result is not a plan of this instance.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"the concentration threshold must be in (0, 1], not {threshold}")
    plan = _index(instance, result)
    context = (instance, result)
    _PLANS.clear()
    _PLANS[id(context)] = plan
    losses = fan_out(_lose, context, list(plan.contracted), engine=engine, workers=workers,
                     scheduler=scheduler, on_done=on_done,
                     preload="solver.analysis.stress")  # fmt: skip
    return StressReport(losses, concentration(instance, result, threshold), threshold)
