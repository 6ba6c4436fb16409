"""The report's sections that defend a plan: who moves, another plan, stress, firm and open.

`dekkend report --compare OTHER.json --stress STRESS.json --robustness FIRM.json`.
"""

from __future__ import annotations

from html import escape
from typing import Any

from solver.analysis.compare import compare
from solver.analysis.moved import MovedRow, moved_per_municipality, moved_per_provider
from solver.i18n import count, gettext_for, money, percent
from solver.i18n.messages import say
from solver.i18n.words import COST_WORDS
from solver.instance import Instance, place_names, unit_names
from solver.report.charts import years_chart
from solver.report.markup import h2, table
from solver.result import Result

_PROVIDERS_SHOWN = 15  # the providers most clients leave; the rest are in the JSON


def moved_section(result: Result, instance: Instance | None, lang: str) -> str:
    """Clients who change provider, per municipality and per provider they leave."""
    _ = gettext_for(lang)
    if instance is None:
        rows = [
            [
                escape(r.provider),
                escape(r.municipality),
                escape(r.care_type),
                count(r.clients, lang),
                count(r.incumbents, lang),
            ]
            for r in result.moved
        ]
        return table(
            [_("provider"), _("municipality"), _("care type"), _("moved"), _("in care today")],
            rows,
            3,
        )

    def per(what: str, rows: list[MovedRow]) -> str:
        body = [
            [
                escape(r.name),
                count(r.moved, lang),
                count(r.incumbents, lang),
                percent(r.moved / r.incumbents, lang) if r.incumbents else "—",
            ]
            for r in rows
        ]
        return table([what, _("moved"), _("in care today"), _("share moved")], body)

    providers = [r for r in moved_per_provider(instance, result) if r.moved]
    more = len(providers) - _PROVIDERS_SHOWN
    return (
        "<p>"
        + escape(
            _(
                "Clients in care today who have to change provider under this plan "
                "(their provider gets no contract for their care, or has no room for "
                "them)."
            )
        )
        + "</p>"
        + per(_("municipality"), moved_per_municipality(instance, result))
        + per(_("provider they leave"), providers[:_PROVIDERS_SHOWN])
        + (
            "<p class='sub'>"
            + escape(_("and {n} more providers (all in the result's moved[])").format(n=more))
            + "</p>"
            if more > 0
            else ""
        )
    )


def compared_section(result: Result, other: Result, instance: Instance | None, lang: str) -> str:
    """The plan beside another (today's baseline, a selective tender), line by line."""
    _ = gettext_for(lang)
    diff = compare(other, result, instance)
    today = any(n.startswith("status quo") for n in other.notes)
    label = (
        _("today's situation (dekkend baseline)")
        if today
        else (other.instance or _("another plan"))
    )
    rows = [
        [
            _("contracts"),
            count(diff["contracts"][0], lang),
            count(diff["contracts"][1], lang),
            f"{diff['contracts'][1] - diff['contracts'][0]:+d}",
        ]
    ]
    for name, (a, b, d) in diff["costs"].items():
        rows.append(
            [escape(_(COST_WORDS.get(name, name))), money(a, lang), money(b, lang), money(d, lang)]
        )
    moved = [r.costs.moved_clients if r.costs else None for r in (other, result)]
    rows.append(
        [
            _("clients who change provider"),
            *[("—" if n is None else count(n, lang)) for n in moved],
            "",
        ]
    )
    notes = "".join(f"<li>{escape(say(n, lang))}</li>" for n in other.notes[:3])
    notes_head = _("The other plan's notes:")
    return (
        h2(_("Compared with {label}").format(label=label))
        + table(["", _("the other plan"), _("this plan"), _("difference")], rows)
        + (f"<p class='sub'>{escape(notes_head)}</p><ul>{notes}</ul>" if notes else "")
    )


def stress_section(report: dict[str, Any], instance: Instance | None, lang: str) -> str:
    """If a contracted unit fails: absorbed or not per unit, and the concentration flags."""
    _ = gettext_for(lang)
    names = _unit_names(instance)
    losses = report.get("losses", [])
    failing = [x for x in losses if not x.get("absorbed")]
    rows = [
        [
            escape(names.get(x["unit"], x["unit"])),
            escape(say(x.get("words", ""), lang)),
            count(x["clients"], lang),
            count(x["placed"], lang),
        ]
        for x in failing
    ]
    flags = [
        [
            escape(names.get(f["unit"], f["unit"])),
            escape(f["scope"]),
            escape(_place(instance, f["of"])),
            _("{n} of {total}").format(n=count(f["clients"], lang), total=count(f["total"], lang)),
            percent(f["share"], lang),
        ]
        for f in report.get("concentration", [])
    ]
    out = (
        h2(_("If a contracted provider fails"))
        + "<p>"
        + escape(
            _(
                "{absorbed} of {units} contracted units can fail without breaking the plan: "
                "every other contract stays, and their clients are re-placed on spare "
                "capacity that reaches them."
            ).format(
                absorbed=count(report.get("absorbed", 0), lang),
                units=count(report.get("units", len(losses)), lang),
            )
        )
        + "</p>"
    )
    if rows:
        out += table([_("unit"), _("what happens"), _("clients"), _("re-placed")], rows, 2)
    if flags:
        share = percent(report.get("threshold", 0.25), lang)
        out += (
            "<p>"
            + escape(
                _("Units holding more than {share} of a lot's or a municipality's clients:").format(
                    share=share
                )
            )
            + "</p>"
        )
        out += table([_("unit"), _("holds"), _("of"), _("clients"), _("share")], flags)
    return out


def robustness_section(found: dict[str, Any], lang: str) -> str:
    """Firm in, open (with the cost of forcing), firm out."""
    _ = gettext_for(lang)
    decisions = found.get("decisions", [])

    def group(verdict: str) -> list[dict[str, Any]]:
        return [d for d in decisions if d.get("verdict") == verdict]

    firm_in, open_, firm_out = group("firm_in"), group("open"), group("firm_out")
    rows = [
        [
            escape(d["name"]),
            _("yes") if d["contracted"] else _("no"),
            money(d["forcing_cost"], lang),
        ]
        for d in sorted(open_, key=lambda d: d.get("forcing_cost") or 0.0)
    ]
    out = (
        h2(_("Firm and open contracts"))
        + "<p>"
        + escape(
            _(
                "Within {margin} of the optimum ({threshold}): {firm} firm in (in every such "
                "plan), {open} open (a plan within the margin decides otherwise), {out} firm "
                "out. Each verdict is proven by a solve with the contract forced the other "
                "way."
            ).format(
                margin=percent(found.get("margin", 0.0), lang, 2),
                threshold=money(found.get("threshold"), lang),
                firm=count(len(firm_in), lang),
                open=count(len(open_), lang),
                out=count(len(firm_out), lang),
            )
        )
        + "</p>"
    )
    if firm_in:
        out += (
            "<p>"
            + escape(_("Firm in:"))
            + " "
            + ", ".join(escape(d["name"]) for d in firm_in)
            + "</p>"
        )
    if rows:
        out += table([_("open"), _("in the optimum"), _("cost of forcing it the other way")], rows)
    return out


def years_section(result: Result, instance: Instance | None, lang: str) -> str:
    """A horizon: per period contracts, clients, regional cost, moved, and the cost chart."""
    _ = gettext_for(lang)
    names = _unit_names(instance)
    rows = [
        [
            escape(p.id),
            escape(p.term),
            f"{p.weight:.3f}",
            count(len(p.contracts), lang),
            count(sum(a.clients for a in p.assignments), lang),
            money(p.regional_cost, lang),
            "—" if p.costs is None else count(p.costs.moved_clients, lang),
            escape(", ".join(names.get(c.unit, c.unit) for c in p.ended)) or "—",
        ]
        for p in result.periods
    ]
    chart = years_chart(
        [p.id for p in result.periods],
        [p.regional_cost for p in result.periods],
        [p.term for p in result.periods],
        _("regional cost per year"),
        lang,
    )
    head = [
        _("period"),
        _("term"),
        _("weight"),
        _("contracts"),
        _("clients"),
        _("regional cost"),
        _("moved"),
        _("contracts that end"),
    ]
    alt = _("Bar chart of the regional cost per year, one colour per term")
    return (
        h2(_("The tender year by year"))
        + table(head, rows, 2)
        + "<p>"
        + escape(
            _(
                "Total over the horizon: {total}; the objective is the weighted sum of "
                "the periods' objectives, {objective}. The sections below show the "
                "totals (payouts, split) and the first period's plan."
            ).format(
                total=money(result.regional_cost, lang), objective=money(result.objective, lang)
            )
        )
        + "</p>"
        + f"<img alt='{escape(alt)}' src='{chart}'>"
    )


def _unit_names(instance: Instance | None) -> dict[str, str]:
    return {} if instance is None else unit_names(instance)


def _place(instance: Instance | None, key: str) -> str:
    return key if instance is None else place_names(instance).get(key, key)
