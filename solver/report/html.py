"""One self-contained HTML page for an alderman: no scripts, no external URLs, charts inline.

Headline figures, the coverage matrix (municipality × care type: contracted units able to serve
it, gaps in red), payouts per lot, the split per municipality (with stand-alone cost where
known), and the cost-of-consolidation curve from a sweep.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from solver.instance import Instance
from solver.report.charts import bar_chart, consolidation_curve, grouped_bars
from solver.report.defence import (
    compared_section,
    moved_section,
    robustness_section,
    stress_section,
    years_section,
)
from solver.report.markup import money, table
from solver.result import Result
from solver.split.game.verdict import verdict

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#1d2733}
h1{margin-bottom:0}.sub{color:#5b6770;margin-top:.2em}
.cards{display:flex;flex-wrap:wrap;gap:1em;margin:1.5em 0}
.card{background:#eef3f7;border-radius:8px;padding:.8em 1.2em;min-width:10em}
.card b{display:block;font-size:1.4em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #cfd8df;padding:.3em .6em;text-align:right}
th{background:#f3f6f8}td.l,th.l{text-align:left}
td.gap{background:#f4c7c3;color:#8a1c12;font-weight:bold}td.none{color:#a0a8ae}
td.ok{background:#dcefdc}img{max-width:100%}.wide{overflow-x:auto}
"""


def _headline(result: Result) -> str:
    costs = result.costs
    cards = [
        ("status", result.status.value),
        ("objective", money(result.objective)),
        ("regional cost", money(result.regional_cost)),
        ("contracts", str(len(result.contracts))),
        ("clients", f"{sum(a.clients for a in result.assignments):,}"),
        ("clients moved", "—" if costs is None else f"{costs.moved_clients:,}"),
        ("gap", "—" if result.gap is None else f"{result.gap:.2e}"),
    ]
    inner = "".join(f"<div class='card'>{escape(k)}<b>{escape(v)}</b></div>" for k, v in cards)
    return f"<div class='cards'>{inner}</div>"


def _coverage(result: Result, instance: Instance | None) -> str:
    """Contracted units able to serve each cell (with the instance) or serving it (without)."""
    if instance is None:
        serving: dict[tuple[str, str], set[str]] = defaultdict(set)
        for a in result.assignments:
            serving[(a.municipality, a.care_type)].add(a.unit)
        muns = sorted({m for m, _ in serving})
        cares = sorted({c for _, c in serving})
        rows = [[escape(m)] + [str(len(serving.get((m, c), ()))) for c in cares] for m in muns]
        note = "<p>Units with clients in each cell (give --instance for coverage and gaps).</p>"
        return note + table(["municipality", *map(escape, cares)], rows)
    lot_of = {c.id: c.lot for c in instance.care_types}
    lots = {lot.id: lot for lot in instance.lots}
    demand = {(d.municipality, d.care_type): d.clients for d in instance.demand}
    everywhere = {m.id for m in instance.municipalities}  # no list: serves all of them
    serves = {p.id: everywhere if p.municipalities is None else set(p.municipalities)
              for p in instance.providers}  # fmt: skip
    offers = {p.id: {o.care_type for o in p.offers} for p in instance.providers}
    members = {p.id: [p.id] for p in instance.providers}
    members |= {k.id: list(k.members) for k in instance.consortia}
    rows = []
    for m in instance.municipalities:
        row = [escape(m.id)]
        for c in instance.care_types:
            able = sum(
                1
                for contract in result.contracts
                if c.id in contract.care_types
                and any(
                    c.id in offers.get(p, set()) and m.id in serves[p]
                    for p in members.get(contract.unit, [])
                )
            )
            lot = lots[lot_of[c.id]]
            need = demand.get((m.id, c.id), 0) > 0 or lot.funding == "population_based"
            if not need:
                row.append(f"<td class='none' title='no demand'>{able}</td>")
            elif able < lot.min_providers:
                row.append(f"<td class='gap' title='needs {lot.min_providers}'>{able}</td>")
            else:
                row.append(f"<td class='ok'>{able}</td>")
        rows.append(row)
    head = ["municipality"] + [f"{escape(c.id)}<br><small>{escape(c.lot)}</small>"
                               for c in instance.care_types]  # fmt: skip
    note = ("<p>Contracted units able to serve each municipality × care type; red: fewer than "
            "the lot's min_providers; grey: no demand.</p>")  # fmt: skip
    return note + table(head, rows)


def _payouts(result: Result) -> str:
    by_lot: dict[str, float] = defaultdict(float)
    funding: dict[str, str] = {}
    units: dict[str, int] = defaultdict(int)
    for b in result.budgets:
        by_lot[b.lot] += b.amount
        funding[b.lot] = b.funding
        units[b.lot] += 1
    if not by_lot:
        return "<p>No payouts.</p>"
    rows = [[escape(lot), escape(funding[lot]), str(units[lot]), money(v)]
            for lot, v in by_lot.items()]  # fmt: skip
    chart = bar_chart(list(by_lot), list(by_lot.values()), "payout per lot")
    return (
        table(["lot", "funding", "units", "payout"], rows)
        + f"<img alt='payout per lot' src='{chart}'>"
    )


def _split(result: Result, instance: Instance | None) -> str:
    """What each municipality pays, in parts, beside what it would pay alone (one scale)."""
    split = result.cost_split
    if split is None:
        return "<p>No cost split in this result.</p>"
    names = _names(instance)
    alone = {a.municipality: a.amount for a in (split.stand_alone_scaled or [])}
    parts = {p.municipality: p for p in (split.parts or [])}
    head = ["municipality", "pays together"]
    if parts:
        head += ["of which care", "contract", "transfer"]
    if alone:
        head += ["would pay alone", "gain together"]
    rows = []
    for a in split.amounts:
        row = [escape(names.get(a.municipality, a.municipality)), money(a.amount)]
        part = parts.get(a.municipality)
        if parts:
            row += [money(part.care), money(part.contract), money(part.transfer)] if part else (
                ["—"] * 3)  # fmt: skip
        if alone:
            mine = alone.get(a.municipality)
            row += [money(mine), money(None if mine is None else mine - a.amount)]
        rows.append(row)
    chart = bar_chart([names.get(a.municipality, a.municipality) for a in split.amounts],
                      [a.amount for a in split.amounts],
                      f"what each municipality pays ({split.rule})")  # fmt: skip
    notes = []
    if parts:
        notes.append("Transfer is the price the region puts on clients who change provider, not "
                     "money paid to anyone.")  # fmt: skip
    if alone:
        notes.append(
            "'Would pay alone' is on the same scale as 'pays together': the optimal objective of "
            "buying alone, c({m}), times regional cost / c(N) "
            f"({money(result.regional_cost)} / {money(split.grand_cost)})."
        )
    sentences = verdict(split, instance) if instance is not None else []
    return (
        f"<p>Rule: <b>{escape(split.rule)}</b></p>" + table(head, rows)
        + "".join(f"<p class='sub'>{escape(n)}</p>" for n in notes)
        + "".join(f"<p><b>{escape(s)}</b></p>" for s in sentences)
        + f"<img alt='what each municipality pays, {escape(split.rule)} rule' src='{chart}'>"
    )  # fmt: skip


def _comparison(result: Result, instance: Instance | None) -> str:
    """The plan split by every rule: a table and grouped bars (`dekkend split --compare`)."""
    comparison = result.comparison
    if comparison is None or not comparison.splits:
        return ""
    names = _names(instance)
    ids = [a.municipality for a in comparison.splits[0].amounts]
    columns = {s.rule: {a.municipality: a.amount for a in s.amounts} for s in comparison.splits}
    rows = [[escape(names.get(m, m)), *[money(c.get(m)) for c in columns.values()]] for m in ids]
    rows.append(["in the core?", *["yes" if (s.core or {}).get("in_core") else "no"
                                   for s in comparison.splits]])  # fmt: skip
    chart = grouped_bars([names.get(m, m) for m in ids],
                         {rule: [c.get(m, 0.0) for m in ids] for rule, c in columns.items()},
                         "what each municipality pays, by rule")  # fmt: skip
    refused = "".join(f"<li>{escape(rule)}: {escape(why)}</li>"
                      for rule, why in comparison.refused.items())  # fmt: skip
    return (
        "<h2>The same plan split by each rule</h2>"
        + table(["municipality", *[escape(r) for r in columns]], rows)
        + f"<p class='sub'>Each column adds up to the regional cost, "
        f"{money(result.regional_cost)}.</p>"
        + (f"<p>Not computed:</p><ul>{refused}</ul>" if refused else "")
        + f"<img alt='what each municipality pays under each rule' src='{chart}'>"
    )  # fmt: skip


def _names(instance: Instance | None) -> dict[str, str]:
    if instance is None:
        return {}
    return {m.id: m.name or m.id for m in instance.municipalities}


def render_report(
    result: Result,
    instance: Instance | None = None,
    sweep: list[dict[str, Any]] | None = None,
    *,
    other: Result | None = None,
    stress: dict[str, Any] | None = None,
    robustness: dict[str, Any] | None = None,
) -> str:
    """The whole page as HTML text.

    With `other` (another result: today's baseline, a selective tender) a section compares the
    two line by line; with `stress` (`dekkend stress --out`, or the result's own `stress`) and
    `robustness` (`dekkend robustness --out`) their sections follow.
    """
    name = result.instance or (instance.name if instance else "result")
    parts = [
        f"<h1>dekkend: {escape(name)}</h1>",
        f"<p class='sub'>backend {escape(str(result.backend))}, {result.runtime_s:.1f} s</p>",
        _headline(result),
    ]
    if result.explanation:
        items = "".join(f"<li>{escape(e)}</li>" for e in result.explanation)
        parts.append(f"<h2>Why there is no plan</h2><ul>{items}</ul>")
    if result.status.has_solution and result.periods:
        parts.append(years_section(result))
    if result.status.has_solution:
        parts += ["<h2>Coverage</h2>", f"<div class='wide'>{_coverage(result, instance)}</div>"]
        parts += ["<h2>Payouts per lot</h2>", _payouts(result)]
        if result.moved:
            parts += ["<h2>Clients who change provider</h2>", moved_section(result, instance)]
        parts += ["<h2>Split per municipality</h2>", _split(result, instance)]
        parts.append(_comparison(result, instance))
        if other is not None:
            parts.append(compared_section(result, other, instance))
        if stress is not None or result.stress is not None:
            parts.append(stress_section(stress or result.stress or {}, instance))
        if robustness is not None:
            parts.append(robustness_section(robustness))
    if sweep:
        chart = consolidation_curve(sweep)
        parts.append("<h2>Cost of consolidation</h2>")
        if chart is None:
            parts.append("<p>The sweep has no solved rows with policy.max_contracts.</p>")
        else:
            parts.append(f"<img alt='cost of consolidation' src='{chart}'>")
    if result.notes:
        parts.append(
            "<h2>Notes</h2><ul>" + "".join(f"<li>{escape(n)}</li>" for n in result.notes) + "</ul>"
        )
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
        f"<title>dekkend report: {escape(name)}</title><style>{_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )
