"""One self-contained HTML page for an alderman: no scripts, no external URLs, charts inline.

In Dutch or English. The plan in brief (`council`), headline figures, the contracts per lot by
name, the coverage grid (municipality × care type: contracted providers able to serve it, gaps
in red; it fits the page at any width), who changes provider, the split per municipality (with
stand-alone cost where known), the defence sections, and the cost-of-consolidation curve. Prints
to A4 with a page break before each section (`dekkend report --pdf`).
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from solver.i18n import count, gettext_for, money
from solver.i18n.messages import say
from solver.i18n.words import RULE, STATUS, word
from solver.instance import Instance
from solver.report.charts import bar_chart, consolidation_curve, grouped_bars
from solver.report.council import contracts_section, council_summary, coverage_grid
from solver.report.defence import (
    compared_section,
    moved_section,
    robustness_section,
    stress_section,
    years_section,
)
from solver.report.markup import h2, para, table
from solver.result import Result
from solver.split.game.verdict import verdict

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1d2733}
h1{margin-bottom:0}.sub{color:#5b6770;margin-top:.2em}
.summary{background:#f6f8ea;border-left:4px solid #7a8b2a;padding:.4em 1.2em;margin:1.2em 0}
.cards{display:flex;flex-wrap:wrap;gap:1em;margin:1.5em 0}
.card{background:#eef3f7;border-radius:8px;padding:.8em 1.2em;min-width:10em}
.card b{display:block;font-size:1.4em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em;max-width:100%}
th,td{border:1px solid #cfd8df;padding:.3em .6em;text-align:right;white-space:nowrap}
td.l,th.l{white-space:normal;overflow-wrap:anywhere}
th{background:#f3f6f8}td.l,th.l{text-align:left}
table.grid{font-size:.8em}table.grid th,table.grid td{padding:.25em .4em}
table.grid thead th+th{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;
white-space:nowrap;vertical-align:bottom}
td.gap{background:#f4c7c3;color:#8a1c12;font-weight:bold}td.none{color:#a0a8ae}
td.ok{background:#dcefdc}img{max-width:100%;height:auto}.wide{overflow-x:auto}
@media print{@page{size:A4;margin:14mm}body{margin:0;max-width:none}
h2{break-before:page}h2.first{break-before:avoid}h2,h3{break-after:avoid}
img,tr,.summary p{break-inside:avoid}thead{display:table-header-group}}
"""


def _headline(result: Result, lang: str) -> str:
    _ = gettext_for(lang)
    costs = result.costs
    paid = None if costs is None else costs.payouts + costs.contract_cost
    cards = [
        (_("status"), word(STATUS, result.status.value, lang)),
        (_("the region pays"), money(paid, lang)),
        (_("regional cost (with the price of moving)"), money(result.regional_cost, lang)),
        (_("contracts"), count(len(result.contracts), lang)),
        (_("clients"), count(sum(a.clients for a in result.assignments), lang)),
        (
            _("clients who change provider"),
            "—" if costs is None else count(costs.moved_clients, lang),
        ),
    ]
    inner = "".join(f"<div class='card'>{escape(k)}<b>{escape(v)}</b></div>" for k, v in cards)
    return f"<div class='cards'>{inner}</div>"


def _coverage(result: Result, instance: Instance | None, lang: str) -> str:
    """Contracted units able to serve each cell (with the instance) or serving it (without)."""
    _ = gettext_for(lang)
    if instance is None:
        serving: dict[tuple[str, str], set[str]] = defaultdict(set)
        for a in result.assignments:
            serving[(a.municipality, a.care_type)].add(a.unit)
        muns = sorted({m for m, _c in serving})
        cares = sorted({c for _m, c in serving})
        rows = [[escape(m)] + [str(len(serving.get((m, c), ()))) for c in cares] for m in muns]
        note = _("Units with clients in each cell (give --instance for coverage and gaps).")
        return f"<p>{escape(note)}</p>" + table([_("municipality"), *map(escape, cares)], rows)
    grid = coverage_grid(result, instance)
    rows = []
    no_demand = _("no demand")
    for m in instance.municipalities:
        row = [escape(m.name or m.id)]
        for c in instance.care_types:
            able, need = grid[m.id, c.id]
            if not need:
                row.append(f"<td class='none' title='{escape(no_demand)}'>{able}</td>")
            elif able < need:
                title = escape(_("needs {n}").format(n=need))
                row.append(f"<td class='gap' title='{title}'>{able}</td>")
            else:
                row.append(f"<td class='ok'>{able}</td>")
        rows.append(row)
    head = [_("municipality")] + [escape(c.name or c.id) for c in instance.care_types]
    note = _(
        "Contracted providers able to serve each municipality and care type; red: fewer "
        "than the lot requires; grey: no demand."
    )
    return f"<p>{escape(note)}</p>" + table(head, rows).replace(
        "<table>", "<table class='grid'>", 1
    )


def _payouts(result: Result, instance: Instance | None, lang: str) -> str:
    _ = gettext_for(lang)
    by_lot: dict[str, float] = defaultdict(float)
    units: dict[str, int] = defaultdict(int)
    for b in result.budgets:
        by_lot[b.lot] += b.amount
        units[b.lot] += 1
    if not by_lot:
        return para(_("No payouts."))
    lot_names = {lot.id: lot.name or lot.id for lot in instance.lots} if instance else {}
    labels = [lot_names.get(lot, lot) for lot in by_lot]
    chart = bar_chart(labels, list(by_lot.values()), _("payout per lot"), lang)
    alt = _("Bar chart of the payout per lot: {values}").format(
        values="; ".join(
            f"{label} {money(v, lang)}" for label, v in zip(labels, by_lot.values(), strict=True)
        )
    )
    return f"<img alt='{escape(alt)}' src='{chart}'>"


def _split(result: Result, instance: Instance | None, lang: str) -> str:
    """What each municipality pays, in parts, beside what it would pay alone (one scale)."""
    _ = gettext_for(lang)
    split = result.cost_split
    if split is None:
        return para(_("No cost split in this result."))
    names = _names(instance)
    alone = {a.municipality: a.amount for a in (split.stand_alone_scaled or [])}
    parts = {p.municipality: p for p in (split.parts or [])}
    youth = {m.id: m.youth_population for m in instance.municipalities} if instance else {}
    head = [_("municipality"), _("pays together")]
    if youth:
        head.append(_("per young inhabitant"))
    if parts:
        head += [_("of which care"), _("contract"), _("transfer")]
    if alone:
        head += [_("would pay alone"), _("gain together")]
    rows = []
    for a in split.amounts:
        row = [escape(names.get(a.municipality, a.municipality)), money(a.amount, lang)]
        if youth:
            y = youth.get(a.municipality, 0)
            row.append(money(a.amount / y, lang) if y else "—")
        part = parts.get(a.municipality)
        if parts:
            row += (
                [money(part.care, lang), money(part.contract, lang), money(part.transfer, lang)]
                if part
                else ["—"] * 3
            )
        if alone:
            mine = alone.get(a.municipality)
            row += [money(mine, lang), money(None if mine is None else mine - a.amount, lang)]
        rows.append(row)
    rule = word(RULE, split.rule, lang)
    rule_word = _("Rule")
    labels = [names.get(a.municipality, a.municipality) for a in split.amounts]
    chart = bar_chart(
        labels,
        [a.amount for a in split.amounts],
        _("what each municipality pays ({rule})").format(rule=rule),
        lang,
    )
    notes = []
    if parts:
        notes.append(
            _(
                "Transfer is the price the region puts on clients who change provider, "
                "not money paid to anyone."
            )
        )
    if alone:
        notes.append(
            _(
                "'Would pay alone' is on the same scale as 'pays together': the optimal "
                "objective of buying alone, c({m}), times regional cost / c(N) ({regional} / "
                "{grand})."
            ).format(
                m="{m}",
                regional=money(result.regional_cost, lang),
                grand=money(split.grand_cost, lang),
            )
        )
    sentences = verdict(split, instance, lang=lang) if instance is not None else []
    alt = _("Bar chart of what each municipality pays: {values}").format(
        values="; ".join(
            f"{label} {money(a.amount, lang)}"
            for label, a in zip(labels, split.amounts, strict=True)
        )
    )
    return (
        f"<p>{escape(rule_word)}: <b>{escape(rule)}</b></p>"
        + table(head, rows)
        + "".join(f"<p class='sub'>{escape(n)}</p>" for n in notes)
        + "".join(f"<p><b>{escape(s)}</b></p>" for s in sentences)
        + f"<img alt='{escape(alt)}' src='{chart}'>"
    )


def _comparison(result: Result, instance: Instance | None, lang: str) -> str:
    """The plan split by every rule: a table and grouped bars (`dekkend split --compare`)."""
    _ = gettext_for(lang)
    comparison = result.comparison
    if comparison is None or not comparison.splits:
        return ""
    names = _names(instance)
    ids = [a.municipality for a in comparison.splits[0].amounts]
    columns = {
        word(RULE, s.rule, lang): {a.municipality: a.amount for a in s.amounts}
        for s in comparison.splits
    }
    rows = [
        [escape(names.get(m, m)), *[money(c.get(m), lang) for c in columns.values()]] for m in ids
    ]
    rows.append(
        [
            escape(_("in the core?")),
            *[
                escape(_("yes") if (s.core or {}).get("in_core") else _("no"))
                for s in comparison.splits
            ],
        ]
    )
    chart = grouped_bars(
        [names.get(m, m) for m in ids],
        {rule: [c.get(m, 0.0) for m in ids] for rule, c in columns.items()},
        _("what each municipality pays, by rule"),
        lang,
    )
    refused = "".join(
        f"<li>{escape(word(RULE, rule, lang))}: {escape(why)}</li>"
        for rule, why in comparison.refused.items()
    )
    alt = _("Grouped bars of what each municipality pays under each rule ({rules})").format(
        rules=", ".join(columns)
    )
    return (
        h2(_("The same plan split by each rule"))
        + table([_("municipality"), *[escape(r) for r in columns]], rows)
        + "<p class='sub'>"
        + escape(
            _("Each column adds up to the regional cost, {total}.").format(
                total=money(result.regional_cost, lang)
            )
        )
        + "</p>"
        + (para(_("Not computed:")) + f"<ul>{refused}</ul>" if refused else "")
        + f"<img alt='{escape(alt)}' src='{chart}'>"
    )


def _names(instance: Instance | None) -> dict[str, str]:
    if instance is None:
        return {}
    return {m.id: m.name or m.id for m in instance.municipalities}


def render_report(
    result: Result,
    instance: Instance | None = None,
    sweep: list[dict[str, Any]] | None = None,
    *,
    lang: str,
    other: Result | None = None,
    stress: dict[str, Any] | None = None,
    robustness: dict[str, Any] | None = None,
) -> str:
    """The whole page as HTML text, in `lang` (nl or en).

    With `other` (another result: today's baseline, a selective tender) a section compares the
    two line by line; with `stress` (`dekkend stress --out`, or the result's own `stress`) and
    `robustness` (`dekkend robustness --out`) their sections follow.
    """
    _ = gettext_for(lang)
    name = result.instance or (instance.name if instance else "result")
    parts = [
        "<h1>" + escape(_("Youth-care procurement plan: {name}").format(name=name)) + "</h1>",
        "<p class='sub'>"
        + escape(
            _("dekkend, solver {backend}, {seconds} s").format(
                backend=result.backend, seconds=count(round(result.runtime_s, 1), lang)
            )
        )
        + "</p>",
        _headline(result, lang),
    ]
    if result.explanation:
        items = "".join(f"<li>{escape(say(e, lang))}</li>" for e in result.explanation)
        parts.append(h2(_("Why there is no plan"), first=True) + f"<ul>{items}</ul>")
    if result.status.has_solution:
        parts.append(h2(_("The plan in brief"), first=True))
        parts.append(council_summary(result, instance, lang, stress=stress, robustness=robustness))
    if result.status.has_solution and result.periods:
        parts.append(years_section(result, instance, lang))
    if result.status.has_solution:
        parts += [
            h2(_("Contracts per lot")),
            contracts_section(result, instance, lang),
            _payouts(result, instance, lang),
        ]
        parts += [h2(_("Coverage")), _coverage(result, instance, lang)]
        if result.moved:
            parts += [
                h2(_("Clients who change provider")),
                moved_section(result, instance, lang),
            ]
        parts += [h2(_("Split per municipality")), _split(result, instance, lang)]
        parts.append(_comparison(result, instance, lang))
        if other is not None:
            parts.append(compared_section(result, other, instance, lang))
        if stress is not None or result.stress is not None:
            parts.append(stress_section(stress or result.stress or {}, instance, lang))
        if robustness is not None:
            parts.append(robustness_section(robustness, lang))
    if sweep:
        chart = consolidation_curve(sweep, lang)
        parts.append(h2(_("Cost of consolidation")))
        if chart is None:
            parts.append(escape(_("The sweep has no solved rows with policy.max_contracts.")))
        else:
            alt = _("Line chart of the objective against the largest number of contracts")
            parts.append(f"<img alt='{escape(alt)}' src='{chart}'>")
    if result.notes:
        parts.append(
            h2(_("Notes"))
            + "<ul>"
            + "".join(f"<li>{escape(say(n, lang))}</li>" for n in result.notes)
            + "</ul>"
        )
    body = "\n".join(parts)
    title = _("dekkend report: {name}").format(name=name)
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<link rel='icon' href='data:,'><title>{escape(title)}</title><style>{_CSS}</style>"
        f"</head><body>{body}</body></html>\n"
    )
