"""The report's opening for a council: the plan in plain sentences, and the contracts by name.

What a council asks first: how many contracts of how many bidders, what the region pays and per
young inhabitant, whether every municipality keeps every care type, how many children change
provider, what is firm and what could fail. Which of the totals is money paid is said in words.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from solver.i18n import count, gettext_for, money, percent
from solver.i18n.words import FUNDING, RULE, word
from solver.instance import Instance, unit_names
from solver.report.markup import table
from solver.result import Result
from solver.split.game.verdict import verdict


def coverage_grid(result: Result, instance: Instance) -> dict[tuple[str, str], tuple[int, int]]:
    """(municipality, care type) -> (contracted units able to serve it, units it needs).

    A cell needs its lot's min_providers where it has demand or its lot is population-based,
    else 0.
    """
    lot_of = {c.id: c.lot for c in instance.care_types}
    lots = {lot.id: lot for lot in instance.lots}
    demand = {(d.municipality, d.care_type): d.clients for d in instance.demand}
    everywhere = {m.id for m in instance.municipalities}  # no list: serves all of them
    serves = {
        p.id: everywhere if p.municipalities is None else set(p.municipalities)
        for p in instance.providers
    }
    offers = {p.id: {o.care_type for o in p.offers} for p in instance.providers}
    members = {p.id: [p.id] for p in instance.providers}
    members |= {k.id: list(k.members) for k in instance.consortia}
    grid = {}
    for m in instance.municipalities:
        for c in instance.care_types:
            lot = lots[lot_of[c.id]]
            needed = demand.get((m.id, c.id), 0) > 0 or lot.funding == "population_based"
            able = sum(
                1
                for contract in result.contracts
                if c.id in contract.care_types
                and any(
                    c.id in offers.get(p, set()) and m.id in serves[p]
                    for p in members.get(contract.unit, [])
                )
            )
            grid[m.id, c.id] = (able, lot.min_providers if needed else 0)
    return grid


def coverage_gaps(result: Result, instance: Instance) -> list[tuple[str, str, int, int]]:
    """(municipality, care type, contracted units able to serve it, needed) where too few."""
    return [(m, c, able, need) for (m, c), (able, need) in coverage_grid(result, instance).items()
            if able < need]  # fmt: skip


def council_summary(
    result: Result,
    instance: Instance | None,
    lang: str,
    *,
    stress: dict[str, Any] | None = None,
    robustness: dict[str, Any] | None = None,
) -> str:
    """The plan in plain sentences (a paragraph list), for a council to read first."""
    _ = gettext_for(lang)
    costs = result.costs
    said: list[str] = []
    if instance is not None:
        said.append(
            _("The region contracts {n} of the {bidders} bidders, in {lots} lots.").format(
                n=count(len(result.contracts), lang),
                bidders=count(len(instance.providers) + len(instance.consortia), lang),
                lots=count(len(instance.lots), lang),
            )
        )
    else:
        said.append(
            _("The region contracts {n} providers.").format(n=count(len(result.contracts), lang))
        )
    if costs is not None:
        paid = costs.payouts + costs.contract_cost
        youth = sum(m.youth_population for m in instance.municipalities) if instance else 0
        per = (
            (
                " "
                + _(
                    "That is {per} per young inhabitant (0–17 years, {youth} in the region)."
                ).format(per=money(paid / youth, lang), youth=count(youth, lang))
            )
            if youth
            else ""
        )
        said.append(
            _(
                "The region pays {paid} a year: {payouts} to the contracted providers and "
                "{contract} in contract costs."
            ).format(
                paid=money(paid, lang),
                payouts=money(costs.payouts, lang),
                contract=money(costs.contract_cost, lang),
            )
            + per
        )
    if instance is not None:
        gaps = coverage_gaps(result, instance)
        if not gaps:
            said.append(
                _(
                    "Every municipality keeps every care type it needs, with at least as "
                    "many contracted providers as each lot requires."
                )
            )
        else:
            said.append(
                _(
                    "In {n} places a municipality has fewer contracted providers for a "
                    "care type than its lot requires (red in the coverage grid)."
                ).format(n=count(len(gaps), lang))
            )
    if costs is not None:
        today = sum(i.clients for p in instance.providers for i in p.incumbent) if instance else 0
        if today:
            said.append(
                _(
                    "{moved} of the {today} children and young people in care today change "
                    "provider ({share})."
                ).format(
                    moved=count(costs.moved_clients, lang),
                    today=count(today, lang),
                    share=percent(costs.moved_clients / today, lang),
                )
            )
        else:
            said.append(
                _("{moved} clients in care today change provider.").format(
                    moved=count(costs.moved_clients, lang)
                )
            )
    if robustness is not None:
        decisions = robustness.get("decisions", [])
        firm = sum(1 for d in decisions if d.get("verdict") == "firm_in")
        open_ = sum(1 for d in decisions if d.get("verdict") == "open")
        said.append(
            _(
                "{firm} contracts are firm: they are in every plan within {margin} of the "
                "cheapest; {open} are open."
            ).format(
                firm=count(firm, lang),
                open=count(open_, lang),
                margin=percent(float(robustness.get("margin", 0.0)), lang, 1),
            )
        )
    stressed = stress or result.stress
    if stressed:
        said.append(
            _(
                "If one contracted provider fails, the others can take over its clients in "
                "{absorbed} of {units} cases."
            ).format(
                absorbed=count(stressed.get("absorbed", 0), lang),
                units=count(stressed.get("units", len(stressed.get("losses", []))), lang),
            )
        )
    split = result.cost_split
    if split is not None:
        said.append(
            _("The cost is split over the municipalities {rule}.").format(
                rule=_split_words(split.rule, lang)
            )
        )
        if instance is not None:
            said += verdict(split, instance, lang=lang)
    if costs is not None:
        said.append(
            _(
                "Which total is money: the region pays {paid}. The regional cost, "
                "{regional}, adds {transfer} as the price the region puts on children "
                "changing provider; nobody is paid that. The optimiser's objective, "
                "{objective}, is what the plan is chosen by (care at its cost price, minus "
                "any quality bonus), not an amount paid."
            ).format(
                paid=money(costs.payouts + costs.contract_cost, lang),
                regional=money(result.regional_cost, lang),
                transfer=money(costs.transfer_cost, lang),
                objective=money(result.objective, lang),
            )
        )
    return "<div class='summary'>" + "".join(f"<p>{escape(s)}</p>" for s in said) + "</div>"


def _split_words(rule: str, lang: str) -> str:
    _ = gettext_for(lang)
    words = {
        "usage": _("by use: each pays for the care its own children receive"),
        "population": _("by population: in proportion to its young inhabitants"),
        "mixed": _("half by use and half by population"),
        "key": _("by an agreed key"),
        "shapley": _("by the Shapley value: each pays its average extra cost of joining"),
        "nucleolus": _("by the nucleolus: the split that leaves the unhappiest group best off"),
    }
    return words.get(rule, word(RULE, rule, lang))


def contracts_section(result: Result, instance: Instance | None, lang: str) -> str:
    """Per lot, the contracted providers by name, with their care types, clients and payout."""
    _ = gettext_for(lang)
    names = unit_names(instance) if instance else {}
    care_names = {c.id: c.name or c.id for c in instance.care_types} if instance else {}
    lot_of = {c.id: c.lot for c in instance.care_types} if instance else {}
    paid = {(b.unit, b.lot): b.amount for b in result.budgets}
    funding = {b.lot: b.funding for b in result.budgets}
    clients: dict[tuple[str, str], int] = defaultdict(int)
    for a in result.assignments:
        clients[(a.unit, lot_of.get(a.care_type, ""))] += a.clients
    lots = (
        [(lot.id, lot.name or lot.id) for lot in instance.lots]
        if instance
        else [(lot, lot) for lot in dict.fromkeys(b.lot for b in result.budgets)]
    )
    out = []
    for lot, lot_name in lots:
        units = sorted({u for (u, k) in paid if k == lot}, key=lambda u: -paid[(u, lot)])
        rows = []
        for unit in units:
            cares = next((c.care_types for c in result.contracts if c.unit == unit), [])
            mine = [care_names.get(c, c) for c in cares if lot_of.get(c, lot) == lot]
            rows.append(
                [
                    f"{escape(names.get(unit, unit))} <small>({escape(unit)})</small>",
                    escape(", ".join(mine)),
                    count(clients[(unit, lot)], lang),
                    money(paid[(unit, lot)], lang),
                ]
            )
        total = sum(paid[(u, lot)] for u in units)
        out.append(
            f"<h3>{escape(lot_name)} — {escape(word(FUNDING, funding.get(lot, ''), lang))}"
            "</h3>"
            + table([_("provider"), _("care types"), _("clients"), _("payout")], rows, 2)
            + "<p class='sub'>"
            + escape(
                _("{n} contracts, {total} in payouts").format(
                    n=count(len(units), lang), total=money(total, lang)
                )
            )
            + "</p>"
        )
    return "".join(out)
