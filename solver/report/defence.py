"""The report's sections that defend a plan: who moves, another plan, stress, firm and open.

`dekkend report --compare OTHER.json --stress STRESS.json --robustness FIRM.json`.
"""

from __future__ import annotations

from html import escape
from typing import Any

from solver.analysis.compare import compare
from solver.analysis.moved import MovedRow, moved_per_municipality, moved_per_provider
from solver.instance import Instance, place_names, unit_names
from solver.report.charts import years_chart
from solver.report.markup import money, table
from solver.result import Result

_PROVIDERS_SHOWN = 15  # the providers most clients leave; the rest are in the JSON


def moved_section(result: Result, instance: Instance | None) -> str:
    """Clients who change provider, per municipality and per provider they leave."""
    if instance is None:
        rows = [[escape(r.provider), escape(r.municipality), escape(r.care_type),
                 f"{r.clients:,}", f"{r.incumbents:,}"] for r in result.moved]  # fmt: skip
        return table(["provider", "municipality", "care type", "moved", "in care today"], rows, 3)

    def per(what: str, rows: list[MovedRow]) -> str:
        body = [
            [escape(r.name), f"{r.moved:,}", f"{r.incumbents:,}",
             f"{r.moved / r.incumbents:.0%}" if r.incumbents else "—"]
            for r in rows
        ]  # fmt: skip
        return table([what, "moved", "in care today", "share moved"], body)

    providers = [r for r in moved_per_provider(instance, result) if r.moved]
    more = len(providers) - _PROVIDERS_SHOWN
    return (
        "<p>Clients in care today who have to change provider under this plan (incumbents "
        "whose provider gets no contract for their care, or has no room for them).</p>"
        + per("municipality", moved_per_municipality(instance, result))
        + per("provider they leave", providers[:_PROVIDERS_SHOWN])
        + (f"<p class='sub'>and {more} more providers (all in the result's moved[])</p>"
           if more > 0 else "")
    )  # fmt: skip


def compared_section(result: Result, other: Result, instance: Instance | None) -> str:
    """The plan beside another (today's baseline, a selective tender), line by line."""
    diff = compare(other, result, instance)
    today = any(n.startswith("status quo") for n in other.notes)
    label = "today's situation, `dekkend baseline`" if today else (other.instance or "another plan")
    rows = [["contracts", str(diff["contracts"][0]), str(diff["contracts"][1]),
             f"{diff['contracts'][1] - diff['contracts'][0]:+d}"]]  # fmt: skip
    for name, (a, b, d) in diff["costs"].items():
        rows.append([escape(name.replace("_", " ")), money(a), money(b), money(d)])
    moved = [r.costs.moved_clients if r.costs else None for r in (other, result)]
    rows.append(["clients who change provider", *[("—" if n is None else f"{n:,}")
                                                   for n in moved], ""])  # fmt: skip
    notes = "".join(f"<li>{escape(n)}</li>" for n in other.notes[:3])
    return (
        f"<h2>Compared with {escape(label)}</h2>"
        + table(["", "the other plan", "this plan", "difference"], rows)
        + (f"<p class='sub'>The other plan's notes:</p><ul>{notes}</ul>" if notes else "")
    )  # fmt: skip


def stress_section(report: dict[str, Any], instance: Instance | None) -> str:
    """If a contracted unit fails: absorbed or not per unit, and the concentration flags."""
    names = _unit_names(instance)
    losses = report.get("losses", [])
    failing = [x for x in losses if not x.get("absorbed")]
    rows = [[escape(names.get(x["unit"], x["unit"])), escape(x.get("words", "")),
             f"{x['clients']:,}", f"{x['placed']:,}"] for x in failing]  # fmt: skip
    flags = [[escape(names.get(f["unit"], f["unit"])), escape(f["scope"]),
              escape(_place(instance, f["of"])), f"{f['clients']:,} of {f['total']:,}",
              f"{f['share']:.0%}"] for f in report.get("concentration", [])]  # fmt: skip
    out = (
        "<h2>If a contracted unit fails</h2>"
        f"<p>{report.get('absorbed', 0)} of {report.get('units', len(losses))} contracted units "
        "can fail without breaking the plan: every other contract stays, and their clients are "
        "re-placed on spare capacity that reaches them.</p>"
    )
    if rows:
        out += table(["unit", "what happens", "clients", "re-placed"], rows, 2)
    if flags:
        share = report.get("threshold", 0.25)
        out += f"<p>Units holding more than {share:.0%} of a lot's or a municipality's clients:</p>"
        out += table(["unit", "holds", "of", "clients", "share"], flags)
    return out


def robustness_section(found: dict[str, Any]) -> str:
    """Firm in, open (with the cost of forcing), firm out."""
    decisions = found.get("decisions", [])

    def group(verdict: str) -> list[dict[str, Any]]:
        return [d for d in decisions if d.get("verdict") == verdict]

    firm_in, open_, firm_out = group("firm_in"), group("open"), group("firm_out")
    rows = [[escape(d["name"]), "yes" if d["contracted"] else "no", money(d["forcing_cost"])]
            for d in sorted(open_, key=lambda d: d.get("forcing_cost") or 0.0)]  # fmt: skip
    margin = found.get("margin", 0.0)
    out = (
        "<h2>Firm and open contracts</h2>"
        f"<p>Within {margin:.2%} of the optimum ({money(found.get('threshold'))}): "
        f"<b>{len(firm_in)} firm in</b> (in every such plan), <b>{len(open_)} open</b> (a plan "
        f"within the margin decides otherwise), <b>{len(firm_out)} firm out</b>. Each verdict is "
        "proven by a solve with the contract forced the other way.</p>"
    )
    if firm_in:
        out += "<p>Firm in: " + ", ".join(escape(d["name"]) for d in firm_in) + "</p>"
    if rows:
        out += table(["open", "in the optimum", "cost of forcing it the other way"], rows)
    return out


def years_section(result: Result) -> str:
    """A horizon: per period contracts, clients, regional cost, moved, and the cost chart."""
    rows = [[escape(p.id), escape(p.term), f"{p.weight:.3f}", str(len(p.contracts)),
             f"{sum(a.clients for a in p.assignments):,}", money(p.regional_cost),
             "—" if p.costs is None else f"{p.costs.moved_clients:,}",
             escape(", ".join(c.unit for c in p.ended)) or "—"]
            for p in result.periods]  # fmt: skip
    chart = years_chart([p.id for p in result.periods], [p.regional_cost for p in result.periods],
                        [p.term for p in result.periods], "regional cost per year")  # fmt: skip
    return (
        "<h2>The tender year by year</h2>"
        + table(
            [
                "period",
                "term",
                "weight",
                "contracts",
                "clients",
                "regional cost",
                "moved",
                "contracts that end",
            ],
            rows,
            2,
        )  # fmt: skip
        + f"<p>Total over the horizon: {money(result.regional_cost)}; the objective is the "
        f"weighted sum of the periods' objectives, {money(result.objective)}. The sections "
        "below show the totals (payouts, split) and the first period's plan.</p>"
        + f"<img alt='regional cost per year' src='{chart}'>"
    )


def _unit_names(instance: Instance | None) -> dict[str, str]:
    return {} if instance is None else unit_names(instance)


def _place(instance: Instance | None, key: str) -> str:
    return key if instance is None else place_names(instance).get(key, key)
