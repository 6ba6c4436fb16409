"""A result as a workbook for people, with euro formats, fitted columns and frozen bold headers.

In Dutch or English (titles, headers, words; ids stay ids, with names beside them). Sheets:
summary, contracts, assignments, budgets, cost split, for a horizon (SPEC §8) a horizon sheet and
one sheet per period, coverage (contracted units that can serve each municipality and care type,
coloured against the lot's required level) and explanation. It is for reading, not for import.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from solver.i18n import gettext_for
from solver.i18n.messages import say
from solver.i18n.words import FUNDING, RULE, STATUS, word
from solver.instance import Instance, municipality_names, unit_names
from solver.io.xlsx.write import save_deterministic
from solver.result import Result

Target = str | Path | IO[bytes]

EURO = '"€" #,##0.00'
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_SHORT = PatternFill("solid", fgColor="F8CBAD")  # coverage below the required level
_MET = PatternFill("solid", fgColor="C6EFCE")


def write_result_workbook(instance: Instance, result: Result, target: Target, *, lang: str) -> None:
    """Write `result` of solving `instance` as a formatted xlsx workbook (path or binary file)."""
    _ = gettext_for(lang)
    book = Workbook()
    book.remove(book.active)
    _summary(book.create_sheet(_("summary")), instance, result, lang)
    _contracts(book.create_sheet(_("contracts")), instance, result, lang)
    _assignments(book.create_sheet(_("assignments")), instance, result, lang)
    names = unit_names(instance)
    _table(
        book.create_sheet(_("budgets")),
        [_("unit"), _("name"), _("lot"), _("funding"), _("amount")],
        [[b.unit, names.get(b.unit), b.lot, word(FUNDING, b.funding, lang), b.amount]
         for b in result.budgets],
        euro={_("amount")},
    )  # fmt: skip
    _cost_split(book.create_sheet(_("cost split")), instance, result, lang)
    if result.periods:
        _horizon(book, result, lang)
    _coverage(book.create_sheet(_("coverage")), instance, result, lang)
    _explanation(book.create_sheet(_("explanation")), result, lang)
    save_deterministic(book, target)


def _horizon(book: Workbook, result: Result, lang: str) -> None:
    """A tender over several years: a horizon sheet, then one sheet per period (its plan)."""
    _ = gettext_for(lang)
    _table(
        book.create_sheet(_("horizon")),
        [_("period"), _("term"), _("weight"), _("objective"), _("regional cost"), _("contracts"),
         _("clients"), _("moved"), _("contracts that end")],
        [[p.id, p.term, p.weight, p.objective, p.regional_cost, len(p.contracts),
          sum(a.clients for a in p.assignments),
          None if p.costs is None else p.costs.moved_clients,
          ", ".join(f"{c.unit} ({', '.join(c.care_types)})" for c in p.ended)]
         for p in result.periods],
        euro={_("objective"), _("regional cost")},
    )  # fmt: skip
    for p in result.periods:
        amounts = {a.municipality: a.amount for a in (p.cost_split.amounts if p.cost_split else [])}
        rows = [[a.unit, a.provider, a.municipality, a.care_type, a.clients]
                for a in p.assignments]  # fmt: skip
        ws = book.create_sheet(_("period {period}").format(period=p.id)[:31])
        _table(ws, [_("unit"), _("provider"), _("municipality"), _("care type"), _("clients")],
               rows)  # fmt: skip
        if amounts:
            ws.append([])
            ws.append([_("municipality"), _("pays")])
            for m, amount in amounts.items():
                ws.append([m, amount])
                ws.cell(ws.max_row, 2).number_format = EURO


def _table(
    ws: Worksheet,
    header: list[str],
    rows: list[list[Any]],
    euro: Collection[str] = frozenset(),
) -> None:
    """Header, rows, euro columns, widths, frozen bold header."""
    ws.append(header)
    for row in rows:
        ws.append(row)
    for index, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        if name in euro:
            for (c,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                c.number_format = EURO
    _widths(ws)
    ws.freeze_panes = "A2"


def _widths(ws: Worksheet) -> None:
    for column in ws.iter_cols(min_row=1, max_row=min(ws.max_row, 300)):
        longest = 0
        for cell in column:
            value = cell.value
            text = f"{value:,.2f}" if isinstance(value, float) else str(value or "")
            longest = max(longest, len(text) + (2 if cell.number_format == EURO else 0))
        ws.column_dimensions[get_column_letter(column[0].column)].width = min(
            max(longest + 3, 10), 80
        )


def _summary(ws: Worksheet, instance: Instance, result: Result, lang: str) -> None:
    _ = gettext_for(lang)
    rows: list[list[Any]] = [
        [_("instance"), result.instance or instance.name],
        [_("status"), word(STATUS, str(result.status), lang)],
        [_("objective"), result.objective],
        [_("bound"), result.bound],
        [_("gap"), result.gap],
        [_("backend"), result.backend],
        [_("runtime (s)"), round(result.runtime_s, 3)],
        [_("regional cost"), result.regional_cost],
        [_("contracted units"), len(result.contracts)],
        [_("clients assigned"), sum(a.clients for a in result.assignments)],
    ]
    money = {_("objective"), _("bound"), _("regional cost")}
    if result.costs is not None:
        costs = result.costs
        extra = [
            (_("the region pays"), costs.payouts + costs.contract_cost),
            (_("contract cost"), costs.contract_cost),
            (_("care cost"), costs.care_cost),
            (_("transfer cost"), costs.transfer_cost),
            (_("quality bonus"), costs.quality_bonus),
            (_("lot payouts"), costs.payouts),
        ]
        rows += [[label, value] for label, value in extra]
        rows.append([_("moved clients"), costs.moved_clients])
        money |= {label for label, _value in extra}
    if result.cost_split is not None:
        rows.append([_("cost split rule"), word(RULE, result.cost_split.rule, lang)])
        if result.cost_split.core is not None:
            rows.append([_("core"), json.dumps(result.cost_split.core, ensure_ascii=False)])
    _table(ws, [_("item"), _("value")], rows)
    for label, value in ws.iter_rows(min_row=2, max_col=2):
        if label.value in money:
            value.number_format = EURO
        elif label.value == _("gap"):
            value.number_format = "0.0000%"
    ws.column_dimensions["B"].width = min(max(ws.column_dimensions["B"].width, 18), 80)


def _units(instance: Instance) -> dict[str, list[str]]:
    """Members of every unit: a provider alone, or a consortium's providers."""
    units = {p.id: [p.id] for p in instance.providers}
    units.update({c.id: list(c.members) for c in instance.consortia})
    return units


def _contracts(ws: Worksheet, instance: Instance, result: Result, lang: str) -> None:
    _ = gettext_for(lang)
    names = unit_names(instance)
    units = _units(instance)
    cost = {p.id: p.contract_cost for p in instance.providers}
    cost.update({c.id: c.contract_cost for c in instance.consortia})
    consortia = {c.id for c in instance.consortia}
    lot_of = {c.id: c.lot for c in instance.care_types}
    clients: dict[str, int] = defaultdict(int)
    care: dict[str, float] = defaultdict(float)
    for a, amount in _care_costs(instance, result):
        clients[a.unit] += a.clients
        care[a.unit] += amount
    rows = [
        [
            c.unit,
            names.get(c.unit),
            _("consortium") if c.unit in consortia else _("provider"),
            ", ".join(units.get(c.unit, [])),
            ", ".join(c.care_types),
            ", ".join(sorted({lot_of.get(t, "?") for t in c.care_types})),
            cost.get(c.unit),
            clients[c.unit],
            care[c.unit],
        ]
        for c in result.contracts
    ]
    header = [_("unit"), _("name"), _("kind"), _("members"), _("care types"), _("lots"),
              _("contract cost"), _("clients"), _("care cost")]  # fmt: skip
    _table(ws, header, rows, euro={_("contract cost"), _("care cost")})


def _care_costs(instance: Instance, result: Result) -> list[tuple[Any, float]]:
    """Each assignment with its care cost: clients × (price + access cost)."""
    price = {(p.id, o.care_type): o.price for p in instance.providers for o in p.offers}
    access = {p.id: p.access_cost for p in instance.providers}
    return [
        (
            a,
            a.clients
            * (
                price.get((a.provider, a.care_type), 0.0)
                + access.get(a.provider, {}).get(a.municipality, 0.0)
            ),
        )
        for a in result.assignments
    ]


def _assignments(ws: Worksheet, instance: Instance, result: Result, lang: str) -> None:
    _ = gettext_for(lang)
    names = unit_names(instance)
    price = {(p.id, o.care_type): o.price for p in instance.providers for o in p.offers}
    access = {p.id: p.access_cost for p in instance.providers}
    lot_of = {c.id: c.lot for c in instance.care_types}
    rows = [
        [
            a.unit,
            a.provider,
            names.get(a.provider),
            a.municipality,
            a.care_type,
            lot_of.get(a.care_type),
            a.clients,
            price.get((a.provider, a.care_type)),
            access.get(a.provider, {}).get(a.municipality, 0.0),
            amount,
        ]
        for a, amount in _care_costs(instance, result)
    ]
    header = [_("unit"), _("provider"), _("name"), _("municipality"), _("care type"), _("lot"),
              _("clients"), _("price"), _("access cost"), _("care cost")]  # fmt: skip
    _table(ws, header, rows, euro={_("price"), _("access cost"), _("care cost")})


def _cost_split(ws: Worksheet, instance: Instance, result: Result, lang: str) -> None:
    _ = gettext_for(lang)
    split = result.cost_split
    names = municipality_names(instance)
    population = {m.id: m.youth_population for m in instance.municipalities}
    amounts = {a.municipality: a.amount for a in split.amounts} if split else {}
    stand = {a.municipality: a.amount for a in (split.stand_alone or [])} if split else {}
    errors = {a.municipality: a.amount for a in (split.standard_errors or [])} if split else {}
    header = [_("municipality"), _("name"), _("youth 0–17"), _("amount")]
    euro = {_("amount")}
    if stand:
        header.append(_("would pay alone (objective)"))
        euro.add(header[-1])
    if errors:
        header.append(_("± std. error"))
        euro.add(header[-1])
    rows = []
    for m in amounts:
        row = [m, names.get(m), population.get(m), amounts[m]]
        row += [stand.get(m)] if stand else []
        row += [errors.get(m)] if errors else []
        rows.append(row)
    _table(ws, header, rows, euro=euro)


def coverage_counts(instance: Instance, result: Result) -> dict[tuple[str, str], int]:
    """(municipality, care type) -> contracted units that can serve it (SPEC §2 rule 5)."""
    providers = {p.id: p for p in instance.providers}
    units = _units(instance)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for contract in result.contracts:
        members = [providers[p] for p in units.get(contract.unit, []) if p in providers]
        for care in contract.care_types:
            for m in instance.municipalities:
                if any(
                    any(o.care_type == care for o in p.offers)
                    and (p.municipalities is None or m.id in p.municipalities)
                    for p in members
                ):
                    counts[m.id, care] += 1
    return counts


def _coverage(ws: Worksheet, instance: Instance, result: Result, lang: str) -> None:
    _ = gettext_for(lang)
    counts = coverage_counts(instance, result)
    lots = {lot.id: lot for lot in instance.lots}
    demand = {(d.municipality, d.care_type): d.clients for d in instance.demand}
    cares = instance.care_types
    rows = [[m.name or m.id, *(counts.get((m.id, c.id), 0) for c in cares)]
            for m in instance.municipalities]  # fmt: skip
    _table(ws, [_("municipality"), *(c.name or c.id for c in cares)], rows)
    for r, m in enumerate(instance.municipalities, start=2):
        for k, care in enumerate(cares, start=2):
            lot = lots.get(care.lot)
            if lot is None:
                continue
            needed = demand.get((m.id, care.id), 0) > 0 or lot.funding == "population_based"
            if needed:
                cell = ws.cell(row=r, column=k)
                cell.fill = _MET if (cell.value or 0) >= lot.min_providers else _SHORT
    ws.freeze_panes = "B2"
    note = len(instance.municipalities) + 3
    ws.cell(
        row=note,
        column=1,
        value=_(
            "Contracted units that can serve each municipality and care type; green: meets "
            "the lot's min_providers where it is required (demand > 0, or a population_based "
            "lot), red: below it."
        ),
    )


def _explanation(ws: Worksheet, result: Result, lang: str) -> None:
    _ = gettext_for(lang)
    rows = [[_("explanation"), line] for line in result.explanation]
    rows += [[_("error"), f"{e.path}: {say(e.message, lang)}" if e.path else say(e.message, lang)]
             for e in result.errors]  # fmt: skip
    rows += [[_("note"), say(line, lang)] for line in result.notes]
    if not rows:
        rows = [[_("explanation"), _("status {status}; nothing further to explain").format(
            status=word(STATUS, str(result.status), lang))]]  # fmt: skip
    _table(ws, [_("kind"), _("text")], rows)
