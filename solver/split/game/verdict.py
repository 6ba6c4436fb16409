"""What a game split says, in sentences a council can read (the CLI summary and the report).

From a `CostSplitResult` with its game annotations: whether any group of municipalities would pay
less on its own (the core verdict, in euros on the amounts' scale), the least-core excess when no
split can be in the core, and — when the stand-alone costs add up to less than buying together —
that the game shows cooperation costing more, and which of the instance's rules drive it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from solver.instance import Instance
from solver.result import CostSplitResult

_CENT = 0.005


def euros(amount: float) -> str:
    """€1,234,567 (whole euros: what a council reads)."""
    sign = "−" if amount < 0 else ""
    return f"{sign}€{abs(amount):,.0f}"


def group(members: Sequence[str], names: Mapping[str, str]) -> str:
    """'Aalten, Berkelland and Doetinchem'."""
    named = [names.get(m, m) for m in members]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def verdict(split: CostSplitResult, instance: Instance) -> list[str]:
    """The sentences of a split's game annotations (none when the game was not played)."""
    core = split.core
    if core is None:
        return []
    names = {m.id: m.name or m.id for m in instance.municipalities}
    out = []
    blocking = [b for b in core.get("most_blocking", []) if b.get("excess_scaled", 0) > _CENT]
    if core.get("in_core"):
        out.append("No group of municipalities would pay less on its own than its share here.")
    elif blocking:
        worst = blocking[0]
        who, less = group(worst["coalition"], names), euros(worst["excess_scaled"])
        if len(worst["coalition"]) == 1:
            said = f"{who} would pay {less} less on its own than its share"
        else:
            said = f"{who} together would pay {less} less on their own than their shares"
        out.append(f"{said} of this split (the split is not in the core).")
    if core.get("core_empty"):
        out.append(
            "No split at all is in the core: whatever the split, some group pays at least "
            f"{euros(core.get('least_core_excess_scaled', 0.0))} more together than it would "
            "alone (the least-core excess)."
        )
    out += _cooperation(split, instance)
    return out


def _cooperation(split: CostSplitResult, instance: Instance) -> list[str]:
    """When Σ c({m}) < c(N): the game shows buying together costing more, and why."""
    alone = split.stand_alone or []
    if split.grand_cost is None or len(alone) != len(instance.municipalities):
        return []
    total = sum(a.amount for a in alone)
    if total >= split.grand_cost - _CENT:
        return []
    drivers = _drivers(instance)
    why = f" What drives it: {'; '.join(drivers)}." if drivers else ""
    return [
        "In this game buying together costs more than every municipality buying alone: the "
        f"stand-alone costs add up to {euros(total)}, together {euros(split.grand_cost)} (both "
        f"as the plan's objective).{why}"
    ]


def _drivers(instance: Instance) -> list[str]:
    """The rules that bind a coalition as a whole, so a municipality alone is freer than all."""
    out = []
    limit = instance.policy.max_contracts
    if limit is not None:
        out.append(
            f"the limit of {limit} contracts holds for each coalition as a whole, so alone each "
            f"municipality may contract as many units as the whole region together"
        )
    lots = [lot.id for lot in instance.lots if lot.max_contracts is not None]
    if lots:
        out.append(f"the same holds for the lots' max_contracts ({', '.join(lots)})")
    if instance.policy.cost_split.capacity == "full":
        out.append("each coalition may use every provider's whole capacity (capacity: full)")
    return out
