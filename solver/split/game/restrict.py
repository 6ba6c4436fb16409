"""SPEC §5's coalition S, by definition: the instance restricted to S (the reference of c(S)).

`restrict(instance, S)` is S's own tender: S's demand, population and incumbents; providers keep
only S's municipalities; `task_budget` and `budget_cap` scaled by S's share of the lot's clients;
other policy unchanged. Capacity is shared, not duplicated (`policy.cost_split.capacity`):
`proportional` (the default) scales each offer's capacity by S's share of the region's clients of
its care type, ⌈capacity × clients_S(c) / clients_N(c)⌉, and its `min_clients` by the same share
rounded down (both 0 where the region has no clients of c), as if every other municipality bought
its own share too; `full` lets S use every provider's whole capacity (the optimistic game).
Solving the restricted instance with `solver.solve` gives c(S); `coalitions.CoalitionSolver` is
the fast path, proven equal by the tests. A coalition is a bit mask over `municipalities[]` (bit i
= municipality i).

A lot with no clients in the whole region has no client share; its budgets are then scaled by S's
share of the youth population (by the share of municipalities when that is 0 too), so that the
restricted instance is feasible exactly when the region's is on that lot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from solver.instance import CostSplit, Instance, Offer


def members_of(mask: int, ids: Sequence[str]) -> list[str]:
    """Municipality ids in coalition `mask`, in `municipalities[]` order."""
    return [m for i, m in enumerate(ids) if mask >> i & 1]


def mask_of(members: Collection[str], ids: Sequence[str]) -> int:
    """Bit mask of a set of municipality ids."""
    keep = set(members)
    return sum(1 << i for i, m in enumerate(ids) if m in keep)


def lot_shares(instance: Instance, members: Collection[str]) -> list[float]:
    """S's share of each lot's clients (population share for a lot without clients)."""
    keep = set(members)
    lot_of = {c.id: c.lot for c in instance.care_types}
    total = {lot.id: 0 for lot in instance.lots}
    mine = dict(total)
    for d in instance.demand:
        total[lot_of[d.care_type]] += d.clients
        if d.municipality in keep:
            mine[lot_of[d.care_type]] += d.clients
    pop = sum(m.youth_population for m in instance.municipalities)
    pop_s = sum(m.youth_population for m in instance.municipalities if m.id in keep)
    n, n_s = len(instance.municipalities), sum(m.id in keep for m in instance.municipalities)
    fallback = pop_s / pop if pop > 0 else n_s / n
    return [
        mine[lot.id] / total[lot.id] if total[lot.id] > 0 else fallback for lot in instance.lots
    ]


def restrict(instance: Instance, members: Collection[str]) -> Instance:
    """The instance restricted to the coalition `members` (SPEC §5, the reference of c(S)).

    The restricted instance's own split rule is `usage`: its split is never used, and a game
    rule there would recurse.
    """
    keep = set(members)
    shares = lot_shares(instance, keep)
    proportional = instance.policy.cost_split.capacity == "proportional"
    total: Counter[str] = Counter()
    mine: Counter[str] = Counter()
    for d in instance.demand:
        total[d.care_type] += d.clients
        if d.municipality in keep:
            mine[d.care_type] += d.clients
    lots = [
        lot.model_copy(
            update={
                "task_budget": None if lot.task_budget is None else lot.task_budget * share,
                "budget_cap": None if lot.budget_cap is None else lot.budget_cap * share,
            }
        )
        for lot, share in zip(instance.lots, shares, strict=True)
    ]
    providers = [
        p.model_copy(
            update={
                "municipalities": None
                if p.municipalities is None
                else [m for m in p.municipalities if m in keep],
                "access_cost": {m: v for m, v in p.access_cost.items() if m in keep},
                "incumbent": [r for r in p.incumbent if r.municipality in keep],
                "offers": _shared_offers(p.offers, mine, total) if proportional else p.offers,
            }
        )
        for p in instance.providers
    ]
    return instance.model_copy(
        update={
            "name": f"{instance.name} [{', '.join(sorted(keep))}]",
            "municipalities": [m for m in instance.municipalities if m.id in keep],
            "demand": [d for d in instance.demand if d.municipality in keep],
            "lots": lots,
            "providers": providers,
            "policy": instance.policy.model_copy(update={"cost_split": CostSplit(rule="usage")}),
        }
    )


def shared_capacity(capacity: int, clients_s: int, clients_n: int) -> int:
    """⌈capacity × clients_S / clients_N⌉ in exact integers (0 when the region has no clients)."""
    return 0 if clients_n <= 0 else (capacity * clients_s + clients_n - 1) // clients_n


def shared_minimum(min_clients: int, clients_s: int, clients_n: int) -> int:
    """⌊min_clients × clients_S / clients_N⌋ in exact integers (0 when the region has none)."""
    return 0 if clients_n <= 0 else (min_clients * clients_s) // clients_n


def _shared_offers(offers: Sequence[Offer], mine: Counter[str], total: Counter[str]) -> list[Offer]:
    return [
        o.model_copy(
            update={
                "capacity": shared_capacity(o.capacity, mine[o.care_type], total[o.care_type]),
                "min_clients": shared_minimum(o.min_clients, mine[o.care_type], total[o.care_type]),
            }
        )
        for o in offers
    ]
