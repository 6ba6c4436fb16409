"""What a game split says, in sentences a council can read (the CLI summary and the report).

From a `CostSplitResult` with its game annotations: whether any group of municipalities would pay
less on its own (the core verdict, in euros on the amounts' scale), the least-core excess when no
split can be in the core, and — when the stand-alone costs add up to less than buying together —
that the game shows cooperation costing more, and which of the instance's rules drive it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from solver.i18n import gettext_for, money
from solver.instance import Instance
from solver.result import CostSplitResult

_CENT = 0.005


def group(members: Sequence[str], names: Mapping[str, str], lang: str) -> str:
    """'Aalten, Berkelland and Doetinchem' ('Aalten, Berkelland en Doetinchem')."""
    named = [names.get(m, m) for m in members]
    if len(named) == 1:
        return named[0]
    _ = gettext_for(lang)
    return _("{list} and {last}").format(list=", ".join(named[:-1]), last=named[-1])


def verdict(split: CostSplitResult, instance: Instance, *, lang: str) -> list[str]:
    """The sentences of a split's game annotations (none when the game was not played)."""
    _ = gettext_for(lang)
    core = split.core
    if core is None:
        return []
    names = {m.id: m.name or m.id for m in instance.municipalities}
    out = []
    blocking = [b for b in core.get("most_blocking", []) if b.get("excess_scaled", 0) > _CENT]
    if core.get("in_core"):
        out.append(_("No group of municipalities would pay less on its own than its share here."))
    elif blocking:
        worst = blocking[0]
        who, less = group(worst["coalition"], names, lang), money(worst["excess_scaled"], lang)
        if len(worst["coalition"]) == 1:
            said = _(
                "{who} would pay {less} less on its own than its share of this split (the "
                "split is not in the core)."
            )
        else:
            said = _(
                "{who} together would pay {less} less on their own than their shares of "
                "this split (the split is not in the core)."
            )
        out.append(said.format(who=who, less=less))
    if core.get("core_empty"):
        out.append(
            _(
                "No split at all is in the core: whatever the split, some group pays at least "
                "{excess} more together than it would alone (the least-core excess)."
            ).format(excess=money(core.get("least_core_excess_scaled", 0.0), lang))
        )
    out += _cooperation(split, instance, lang)
    return out


def _cooperation(split: CostSplitResult, instance: Instance, lang: str) -> list[str]:
    """When Σ c({m}) < c(N): the game shows buying together costing more, and why."""
    _ = gettext_for(lang)
    alone = split.stand_alone or []
    if split.grand_cost is None or len(alone) != len(instance.municipalities):
        return []
    total = sum(a.amount for a in alone)
    if total >= split.grand_cost - _CENT:
        return []
    drivers = _drivers(instance, lang)
    why = (
        " " + _("What drives it: {drivers}.").format(drivers="; ".join(drivers)) if drivers else ""
    )
    return [
        _(
            "In this game buying together costs more than every municipality buying alone: the "
            "stand-alone costs add up to {alone}, together {together} (both as the plan's "
            "objective)."
        ).format(alone=money(total, lang), together=money(split.grand_cost, lang))
        + why
    ]


def _drivers(instance: Instance, lang: str) -> list[str]:
    """The rules that bind a coalition as a whole, so a municipality alone is freer than all."""
    _ = gettext_for(lang)
    out = []
    limit = instance.policy.max_contracts
    if limit is not None:
        out.append(
            _(
                "the limit of {limit} contracts holds for each coalition as a whole, so alone each "
                "municipality may contract as many units as the whole region together"
            ).format(limit=limit)
        )
    lots = [lot.id for lot in instance.lots if lot.max_contracts is not None]
    if lots:
        out.append(
            _("the same holds for the lots' max_contracts ({lots})").format(lots=", ".join(lots))
        )
    if instance.policy.cost_split.capacity == "full":
        out.append(_("each coalition may use every provider's whole capacity (capacity: full)"))
    return out
