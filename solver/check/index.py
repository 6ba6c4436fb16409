"""The checker's own view of an instance and of a plan: plain dicts, built in one pass each.

Part of the independent checker (`solver.check`): it deliberately shares nothing with
`solver.model` or `solver.pricing`, so that a bug there cannot hide itself here. `PlanLedger` is
the checker's own copy of `solver.pricing.tally.PlanTally` (same sums, other code, other name).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from solver.instance import Instance, Lot, Offer
from solver.result import Assignment


@dataclass(frozen=True)
class InstanceIndex:
    """Lookups over one instance, keyed by id; every dict keeps the instance's order."""

    instance: Instance
    municipalities: tuple[str, ...]
    population: dict[str, int]
    lots: dict[str, Lot]
    lot_of: dict[str, str]  # care type -> lot
    care_types_of: dict[str, tuple[str, ...]]  # lot -> its care types
    demand: dict[tuple[str, str], int]  # (municipality, care type) -> clients, only listed pairs
    offers: dict[tuple[str, str], Offer]  # (provider, care type) -> offer
    served: dict[str, frozenset[str] | None]  # provider -> municipalities, None = all
    access: dict[str, dict[str, float]]  # provider -> municipality -> euros per client
    units: dict[str, tuple[str, ...]]  # unit -> member providers (providers, then consortia)
    unit_cost: dict[str, float]  # unit -> contract_cost

    def serves(self, provider: str, municipality: str) -> bool:
        """Whether the provider may serve the municipality."""
        served = self.served[provider]
        return served is None or municipality in served

    def can_serve(self, unit: str, care_type: str, municipality: str) -> bool:
        """Whether a member of the unit offers the care type and serves the municipality."""
        return any(
            (p, care_type) in self.offers and self.serves(p, municipality) for p in self.units[unit]
        )


def index_instance(instance: Instance) -> InstanceIndex:
    """Build the lookups of one (validated) instance."""
    care_types_of: dict[str, list[str]] = {lot.id: [] for lot in instance.lots}
    for c in instance.care_types:
        care_types_of[c.lot].append(c.id)
    units: dict[str, tuple[str, ...]] = {p.id: (p.id,) for p in instance.providers}
    unit_cost = {p.id: p.contract_cost for p in instance.providers}
    for k in instance.consortia:
        units[k.id] = tuple(k.members)
        unit_cost[k.id] = k.contract_cost
    return InstanceIndex(
        instance=instance,
        municipalities=tuple(m.id for m in instance.municipalities),
        population={m.id: m.youth_population for m in instance.municipalities},
        lots={lot.id: lot for lot in instance.lots},
        lot_of={c.id: c.lot for c in instance.care_types},
        care_types_of={lot: tuple(cs) for lot, cs in care_types_of.items()},
        demand={(d.municipality, d.care_type): d.clients for d in instance.demand},
        offers={(p.id, o.care_type): o for p in instance.providers for o in p.offers},
        served={
            p.id: None if p.municipalities is None else frozenset(p.municipalities)
            for p in instance.providers
        },
        access={p.id: dict(p.access_cost) for p in instance.providers},
        units=units,
        unit_cost=unit_cost,
    )


@dataclass
class PlanLedger:
    """Clients and care cost of a plan, summed at the granularity the rules need (the checker's).

    Counts are kept for every assignment whose ids allow it (so that demand and capacity are
    judged on what the result says); care cost and quality only for assignments that can be
    priced (known unit, provider, municipality and an offer). `priced` says whether that was all.
    """

    contracted: dict[str, tuple[str, ...]]  # unit -> its care types, instance unit order
    priced: bool = True
    clients_ulm: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    care_ulm: dict[tuple[str, str, str], float] = field(default_factory=lambda: defaultdict(float))
    clients_mc: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    clients_pc: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    clients_pmc: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    quality: float = 0.0  # Σ clients × quality(p, c)

    def add(self, ix: InstanceIndex, a: Assignment) -> None:
        """Count one assignment (its validity is judged elsewhere)."""
        lot = ix.lot_of.get(a.care_type)
        offer = ix.offers.get((a.provider, a.care_type))
        known_m = a.municipality in ix.population
        if lot is not None:
            self.clients_ulm[(a.unit, lot, a.municipality)] += a.clients
            if known_m:
                self.clients_mc[(a.municipality, a.care_type)] += a.clients
            if a.provider in ix.served:
                self.clients_pc[(a.provider, a.care_type)] += a.clients
                self.clients_pmc[(a.provider, a.municipality, a.care_type)] += a.clients
        if offer is None or not known_m or a.unit not in ix.units or lot is None:
            self.priced = False
            return
        access = ix.access[a.provider].get(a.municipality, 0.0)
        self.care_ulm[(a.unit, lot, a.municipality)] += a.clients * (offer.price + access)
        self.quality += a.clients * offer.quality
