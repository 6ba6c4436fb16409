"""Concentration in a plan: units holding a large share of a lot's or a municipality's clients.

More than a chosen share (default 25 %) is flagged: the dependence a failing provider would
expose (`dekkend stress`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from solver.instance import Instance
from solver.result import Result

CONCENTRATION = 0.25  # default share of a lot's or a municipality's clients that is flagged


@dataclass(frozen=True, slots=True)
class Concentration:
    """A unit holding more than the threshold of a lot's or a municipality's clients."""

    unit: str
    scope: str  # "lot" or "municipality"
    of: str  # the lot or municipality id
    clients: int
    total: int

    @property
    def share(self) -> float:
        """The unit's share of the lot's or municipality's clients."""
        return self.clients / self.total if self.total else 0.0


def concentration(instance: Instance, result: Result, threshold: float) -> list[Concentration]:
    """Units holding more than `threshold` of a lot's or a municipality's clients, largest first."""
    lot_of = {c.id: c.lot for c in instance.care_types}
    per_lot: dict[str, int] = defaultdict(int)
    per_mun: dict[str, int] = defaultdict(int)
    unit_lot: dict[tuple[str, str], int] = defaultdict(int)
    unit_mun: dict[tuple[str, str], int] = defaultdict(int)
    for a in result.assignments:
        lot = lot_of[a.care_type]
        per_lot[lot] += a.clients
        per_mun[a.municipality] += a.clients
        unit_lot[(a.unit, lot)] += a.clients
        unit_mun[(a.unit, a.municipality)] += a.clients
    flags = [
        Concentration(u, "lot", lot, n, per_lot[lot])
        for (u, lot), n in unit_lot.items()
        if n > threshold * per_lot[lot]
    ] + [
        Concentration(u, "municipality", m, n, per_mun[m])
        for (u, m), n in unit_mun.items()
        if n > threshold * per_mun[m]
    ]
    return sorted(flags, key=lambda f: (-f.share, f.scope, f.of, f.unit))
