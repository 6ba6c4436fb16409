"""The checker's view of SPEC §2 rule 6's newer policies: max_moved, n_minus_1, Open House.

Part of the independent checker (`solver.check`), written from SPEC's words, not from the model:

- `policy.max_moved`: moved clients (SPEC §3: for each incumbent, max(0, I − clients of (m, c)
  assigned to p under any unit)) add up to at most the limit;
- `policy.n_minus_1`: for every care type with demand, the contracted units' capacity for it less
  the largest single unit's still covers the region's demand, and every (m, c) with demand has at
  least two contracted units that can serve it;
- `open_house`: every provider offering a care type of an Open House lot is contracted for it,
  alone or through one consortium (`min_clients` is not judged there: see `rules.check_capacity`).
"""

from __future__ import annotations

from collections import defaultdict

from solver.check.index import InstanceIndex, PlanLedger
from solver.check.rules import Violation


def moved_clients(ix: InstanceIndex, tally: PlanLedger) -> dict[tuple[str, str, str], int]:
    """(provider, municipality, care type) -> incumbents who no longer stay there (> 0 only)."""
    moved: dict[tuple[str, str, str], int] = {}
    for p in ix.instance.providers:
        for inc in p.incumbent:
            key = (p.id, inc.municipality, inc.care_type)
            n = max(0, inc.clients - tally.clients_pmc.get(key, 0))
            if n > 0:
                moved[key] = moved.get(key, 0) + n
    return moved


def check_max_moved(ix: InstanceIndex, tally: PlanLedger, out: list[Violation]) -> None:
    """At most `policy.max_moved` incumbent clients change provider."""
    limit = ix.instance.policy.max_moved
    if limit is None:
        return
    moved = moved_clients(ix, tally)
    total = sum(moved.values())
    if total > limit:
        worst = sorted(moved.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        where = ", ".join(f"{n} from {p} in {m} ({c})" for (p, m, c), n in worst)
        out.append(
            Violation(
                "2.6 max_moved",
                f"{total} incumbent clients move (most: {where}), policy.max_moved is {limit}",
            )
        )


def _unit_capacity(ix: InstanceIndex, unit: str, care_type: str) -> int:
    return sum(
        ix.offers[(p, care_type)].capacity for p in ix.units[unit] if (p, care_type) in ix.offers
    )


def check_n_minus_1(ix: InstanceIndex, tally: PlanLedger, out: list[Violation]) -> None:
    """The contracted landscape survives the loss of any one contracted unit."""
    if not ix.instance.policy.n_minus_1:
        return
    need: dict[str, int] = defaultdict(int)
    for (_m, c), n in ix.demand.items():
        need[c] += n
    for c, want in need.items():
        if want <= 0:
            continue
        capacity = {
            u: _unit_capacity(ix, u, c)
            for u, care_types in tally.contracted.items()
            if c in care_types
        }
        total = sum(capacity.values())
        largest = max(capacity, key=lambda u: capacity[u], default=None)
        left = total - (capacity[largest] if largest is not None else 0)
        if left < want:
            without = f" without {largest} ({capacity[largest]})" if largest is not None else ""
            out.append(
                Violation(
                    "2.6 n_minus_1",
                    f"{c}: contracted capacity {total}{without} leaves {left}, "
                    f"less than the region's demand {want}",
                )
            )
    for (m, c), n in ix.demand.items():
        if n <= 0:
            continue
        units = [u for u, cs in tally.contracted.items() if c in cs and ix.can_serve(u, c, m)]
        if len(units) < 2:
            having = f" ({', '.join(units)})" if units else ""
            out.append(
                Violation(
                    "2.6 n_minus_1",
                    f"{c} in {m} has {len(units)} contracted unit(s) that can serve it{having}; "
                    "N−1 needs two",
                )
            )


def check_open_house(ix: InstanceIndex, tally: PlanLedger, out: list[Violation]) -> None:
    """Every provider offering a care type of an Open House lot is contracted for it."""
    open_lots = {lot_id for lot_id, lot in ix.lots.items() if lot.open_house}
    if not open_lots:
        return
    holding: dict[str, set[str]] = defaultdict(set)  # provider -> care types it is contracted for
    for u, care_types in tally.contracted.items():
        for p in ix.units[u]:
            holding[p].update(c for c in care_types if (p, c) in ix.offers)
    missing: dict[str, list[str]] = defaultdict(list)  # lot -> "provider (care type)"
    for p, c in ix.offers:
        lot_id = ix.lot_of[c]
        if lot_id in open_lots and c not in holding[p]:
            missing[lot_id].append(f"{p} ({c})")
    for lot_id, offers in missing.items():
        shown = ", ".join(offers[:5]) + (f" and {len(offers) - 5} more" if len(offers) > 5 else "")
        out.append(
            Violation(
                "1 open_house",
                f"lot {lot_id} is an Open House: every bidder is contracted, "
                f"{len(offers)} offer(s) are not: {shown}",
            )
        )
