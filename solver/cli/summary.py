"""The human summary of a result, printed to stderr: what an alderman asks first."""

from __future__ import annotations

from collections import defaultdict

from babel.numbers import format_decimal
from rich.markup import escape
from rich.table import Table

from solver.analysis.moved import MovedRow, moved_per_municipality, moved_per_provider
from solver.cli.app import console
from solver.i18n import count, gettext_for, money, percent
from solver.i18n.messages import say
from solver.i18n.words import FUNDING, RULE, STATUS, word
from solver.instance import Instance, municipality_names, unit_names
from solver.result import Result, Status
from solver.split.game.verdict import verdict


def print_summary(instance: Instance, result: Result, *, lang: str) -> None:
    """Status line, then contracts and payouts per lot, costs, and the split per municipality."""
    _ = gettext_for(lang)
    colour = {"optimal": "green", "feasible": "yellow"}.get(result.status.value, "red")
    head = (
        f"[bold]{escape(instance.name)}[/]: [{colour}]{word(STATUS, result.status.value, lang)}[/]"
    )
    if result.gap is not None and result.status is not Status.OPTIMAL:
        head += " " + _("(gap {gap})").format(gap=percent(result.gap, lang, 2))
    head += _(" — {backend}, {seconds} s").format(
        backend=result.backend, seconds=format_decimal(round(result.runtime_s, 2), locale=lang)
    )
    console.print(head)
    for line in result.explanation:
        console.print(f"  [red]•[/] {escape(say(line, lang))}", highlight=False)
    for note in result.notes:
        console.print("  [dim]" + escape(_("note: {note}").format(note=say(note, lang))) + "[/]")
    if not result.status.has_solution:
        return
    if result.periods:
        print_periods(instance, result, lang=lang)
    console.print(_lot_table(instance, result, lang))
    print_totals(result, lang=lang)
    if result.moved:
        print_moved(instance, result, lang=lang)
    if result.cost_split is not None:
        console.print(_split_table(instance, result, lang))
        print_verdict(instance, result, lang=lang)


def print_totals(result: Result, *, lang: str) -> None:
    """What the region pays, and how that differs from the regional cost and the objective."""
    _ = gettext_for(lang)
    costs = result.costs
    if costs is None:
        return
    paid = costs.payouts + costs.contract_cost
    console.print(
        _(
            "The region pays [bold]{paid}[/] a year: payouts {payouts} + contract costs {contract}."
        ).format(
            paid=money(paid, lang),
            payouts=money(costs.payouts, lang),
            contract=money(costs.contract_cost, lang),
        )
    )
    console.print(
        _(
            "Regional cost {regional} = that + {transfer} for {moved} clients who change provider "
            "(a price the region puts on moving, not money paid). The optimiser's objective, "
            "{objective}, counts care at its cost price instead of the payouts, minus any "
            "quality bonus: it is what the plan is chosen by, not an amount paid."
        ).format(
            regional=money(result.regional_cost, lang),
            transfer=money(costs.transfer_cost, lang),
            moved=count(costs.moved_clients, lang),
            objective=money(result.objective, lang),
        ),
        markup=False,
    )


def print_periods(instance: Instance, result: Result, *, lang: str) -> None:
    """A horizon (SPEC §8): per period contracts, clients, regional cost, moved; what ends when."""
    _ = gettext_for(lang)
    table = Table(
        title=_("The tender year by year (weighted objective above)"), title_justify="left"
    )
    columns = (
        _("period"),
        _("term"),
        _("weight"),
        _("contracts"),
        _("clients"),
        _("regional cost"),
        _("moved"),
    )
    for k, column in enumerate(columns):
        table.add_column(column, justify="left" if k < 2 else "right")
    for p in result.periods:
        table.add_row(
            p.id,
            p.term,
            format_decimal(round(p.weight, 3), locale=lang),
            count(len(p.contracts), lang),
            count(sum(a.clients for a in p.assignments), lang),
            money(p.regional_cost, lang),
            "—" if p.costs is None else count(p.costs.moved_clients, lang),
        )
    table.caption = _(
        "total regional cost {total}; the lots and split below are the totals over the horizon, "
        "contracts and clients moved those of the first period"
    ).format(total=money(result.regional_cost, lang))
    console.print(table)
    names = unit_names(instance)
    for p in result.periods:
        if p.ended:
            ended = ", ".join(
                f"{names.get(c.unit, c.unit)} ({', '.join(c.care_types)})" for c in p.ended
            )
            console.print(
                _("  ends as term {term} starts ({period}): {ended}").format(
                    term=p.term, period=p.id, ended=ended
                ),
                markup=False,
                soft_wrap=True,
            )


def print_moved(
    instance: Instance, result: Result, *, lang: str, providers_shown: int = 10
) -> None:
    """Clients who change provider: per municipality, and the providers they leave."""
    _ = gettext_for(lang)
    by_municipality = moved_per_municipality(instance, result)
    by_provider = moved_per_provider(instance, result)
    console.print(
        _moved_table(
            _("Clients who change provider, per municipality"),
            by_municipality,
            _("municipality"),
            lang,
        )
    )
    shown = [row for row in by_provider if row.moved][:providers_shown]
    table = _moved_table(_("… and the providers they leave"), shown, _("provider"), lang)
    left = sum(1 for row in by_provider if row.moved) - len(shown)
    if left > 0:
        table.caption = _("and {n} more providers (all in the result's moved[])").format(n=left)
    console.print(table)


def _moved_table(title: str, rows: list[MovedRow], what: str, lang: str) -> Table:
    _ = gettext_for(lang)
    table = Table(title=title, title_justify="left")
    for k, column in enumerate((what, _("moved"), _("in care today"), _("share moved"))):
        table.add_column(column, justify="left" if k == 0 else "right")
    for row in rows:
        share = percent(row.moved / row.incumbents, lang) if row.incumbents else "—"
        table.add_row(row.name, count(row.moved, lang), count(row.incumbents, lang), share)
    return table


def _lot_table(instance: Instance, result: Result, lang: str) -> Table:
    _ = gettext_for(lang)
    lot_of = {c.id: c.lot for c in instance.care_types}
    units: dict[str, set[str]] = defaultdict(set)
    for contract in result.contracts:
        for care in contract.care_types:
            units[lot_of[care]].add(contract.unit)
    clients: dict[str, int] = defaultdict(int)
    for a in result.assignments:
        clients[lot_of[a.care_type]] += a.clients
    payout: dict[str, float] = defaultdict(float)
    for b in result.budgets:
        payout[b.lot] += b.amount
    table = Table(title=_("Contracts and payouts per lot"), title_justify="left")
    for k, column in enumerate((_("lot"), _("funding"), _("contracts"), _("clients"), _("payout"))):
        table.add_column(column, justify="left" if k < 2 else "right")
    for lot in instance.lots:
        table.add_row(
            lot.name or lot.id,
            word(FUNDING, lot.funding, lang),
            count(len(units[lot.id]), lang),
            count(clients[lot.id], lang),
            money(payout[lot.id], lang),
        )
    table.caption = _("{n} contracts of {bidders} bidders").format(
        n=count(len(result.contracts), lang),
        bidders=count(len(instance.providers) + len(instance.consortia), lang),
    )
    return table


def _split_table(instance: Instance, result: Result, lang: str) -> Table:
    """Per municipality: what it pays, in parts, and (for a game) what it would pay alone.

    "Alone" is on the amounts' scale (c({m}) × regional cost / c(N)), so the two read side by
    side; the objective c({m}) itself is in the JSON (`stand_alone`).
    """
    _ = gettext_for(lang)
    split = result.cost_split
    assert split is not None
    alone = {a.municipality: a.amount for a in split.stand_alone_scaled or []}
    parts = {p.municipality: p for p in split.parts or []}
    errors = {a.municipality: a.amount for a in split.standard_errors or []}
    population = {m.id: m.youth_population for m in instance.municipalities}
    names = municipality_names(instance)
    table = Table(
        title=_("Cost split per municipality (rule: {rule})").format(
            rule=word(RULE, split.rule, lang)
        ),
        title_justify="left",
    )
    columns = [_("municipality"), _("youth 0–17"), _("pays together"), _("per youth")]
    if errors:
        columns.insert(3, _("± std. error"))
    if parts:
        columns += [_("care"), _("contract"), _("transfer")]
    if alone:
        columns += [_("would pay alone"), _("gain together")]
    for k, column in enumerate(columns):
        table.add_column(column, justify="left" if k == 0 else "right")
    captions = []
    if errors:
        solved = (split.core or {}).get("coalitions_checked", "?")
        captions.append(
            _("sampled Shapley: each amount ± its standard error ({n} coalitions solved)").format(
                n=solved
            )
        )
    if parts:
        captions.append(
            _("transfer: the price the region puts on clients changing provider, not money paid")
        )
    if alone:
        captions.append(
            _(
                "alone: buying on its own, on the same scale as 'pays' (its optimal objective "
                "c({m}) × regional cost / c(N)); gain together = alone − together"
            )
        )
    table.caption = "; ".join(captions) or None
    for item in split.amounts:
        m = item.municipality
        youth = population.get(m, 0)
        row = [
            names.get(m, m),
            count(youth, lang),
            money(item.amount, lang),
            money(item.amount / youth, lang) if youth else "—",
        ]
        if errors:
            row.insert(3, f"± {money(errors.get(m), lang)}")
        if parts:
            part = parts.get(m)
            shares = (part.care, part.contract, part.transfer) if part else (None, None, None)
            row += [money(share, lang) for share in shares]
        if alone:
            mine = alone.get(m)
            row += [money(mine, lang), money(None if mine is None else mine - item.amount, lang)]
        table.add_row(*row)
    return table


def print_verdict(instance: Instance, result: Result, *, lang: str) -> None:
    """The game's verdict on the split, in sentences (nothing when no game was played)."""
    if result.cost_split is None:
        return
    for sentence in verdict(result.cost_split, instance, lang=lang):
        console.print(f"  {sentence}", markup=False)


def print_comparison(instance: Instance, result: Result, *, lang: str) -> None:
    """The plan split by every rule, one column per rule (`dekkend split --compare`)."""
    _ = gettext_for(lang)
    comparison = result.comparison
    if comparison is None:
        return
    names = municipality_names(instance)
    table = Table(title=_("The same plan split by each rule"), title_justify="left")
    table.add_column(_("municipality"))
    for split in comparison.splits:
        table.add_column(word(RULE, split.rule, lang), justify="right")
    columns = [{a.municipality: a.amount for a in s.amounts} for s in comparison.splits]
    for m in instance.municipalities:
        table.add_row(names.get(m.id, m.id), *[money(c.get(m.id), lang) for c in columns])
    table.add_row(
        _("in the core?"),
        *[_("yes") if (s.core or {}).get("in_core") else _("no") for s in comparison.splits],
    )
    table.caption = _("each column adds up to the regional cost {total}").format(
        total=money(result.regional_cost, lang)
    )
    console.print(table)
    for rule, reason in comparison.refused.items():
        console.print(
            "  "
            + _("{rule}: not computed: {reason}").format(
                rule=word(RULE, rule, lang), reason=reason
            ),
            markup=False,
        )
