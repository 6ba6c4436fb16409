"""The human summary of a result, printed to stderr: what an alderman asks first."""

from __future__ import annotations

from collections import defaultdict

from rich.table import Table

from solver.analysis.moved import MovedRow, moved_per_municipality, moved_per_provider
from solver.cli.app import console
from solver.instance import Instance
from solver.result import Result, Status
from solver.split.game.verdict import verdict


def euro(amount: float | None) -> str:
    """€1,234,567 (whole euros for reading; the JSON keeps the cents)."""
    return "—" if amount is None else f"€{amount:,.0f}"


def print_summary(instance: Instance, result: Result) -> None:
    """Status line, then contracts and payouts per lot, costs, and the split per municipality."""
    colour = {"optimal": "green", "feasible": "yellow"}.get(result.status.value, "red")
    head = f"[bold]{instance.name}[/]: [{colour}]{result.status.value}[/]"
    if result.objective is not None:
        head += f", objective {euro(result.objective)}"
    if result.gap is not None and result.status is not Status.OPTIMAL:
        head += f" (gap {result.gap:.2%})"
    head += f" — {result.backend}, {result.runtime_s:.2f} s"
    console.print(head)
    for line in result.explanation:
        console.print(f"  [red]•[/] {line}", markup=True, highlight=False)
    for note in result.notes:
        console.print(f"  [dim]note: {note}[/]")
    if not result.status.has_solution:
        return
    if result.periods:
        print_periods(instance, result)
    console.print(_lot_table(instance, result))
    costs = result.costs
    if costs is not None:
        console.print(
            f"regional cost [bold]{euro(result.regional_cost)}[/] = payouts "
            f"{euro(costs.payouts)} + contract cost {euro(costs.contract_cost)} + transfer cost "
            f"{euro(costs.transfer_cost)}; {len(result.contracts)} contracts, "
            f"{costs.moved_clients} clients moved"
        )
    if result.moved:
        print_moved(instance, result)
    if result.cost_split is not None:
        console.print(_split_table(instance, result))
        print_verdict(instance, result)


def print_periods(instance: Instance, result: Result) -> None:
    """A horizon (SPEC §8): per period contracts, clients, regional cost, moved; what ends when."""
    table = Table(title="The tender year by year (weighted objective above)", title_justify="left")
    for column in ("period", "term", "weight", "contracts", "clients", "regional cost", "moved"):
        table.add_column(column, justify="left" if column in ("period", "term") else "right")
    for p in result.periods:
        table.add_row(
            p.id,
            p.term,
            f"{p.weight:.3f}",
            str(len(p.contracts)),
            f"{sum(a.clients for a in p.assignments):,}",
            euro(p.regional_cost),
            "—" if p.costs is None else f"{p.costs.moved_clients:,}",
        )
    table.caption = (
        f"total regional cost {euro(result.regional_cost)}; the lots and split below are the "
        "totals over the horizon, contracts and clients moved those of the first period"
    )
    console.print(table)
    for p in result.periods:
        if p.ended:
            ended = ", ".join(f"{c.unit} ({', '.join(c.care_types)})" for c in p.ended)
            console.print(f"  ends as term {p.term} starts ({p.id}): {ended}", markup=False,
                          soft_wrap=True)  # fmt: skip


def print_moved(instance: Instance, result: Result, *, providers_shown: int = 10) -> None:
    """Clients who change provider: per municipality, and the providers they leave."""
    by_municipality = moved_per_municipality(instance, result)
    by_provider = moved_per_provider(instance, result)
    console.print(_moved_table("Clients who change provider, per municipality", by_municipality))
    shown = [row for row in by_provider if row.moved][:providers_shown]
    table = _moved_table("… and the providers they leave", shown, what="provider")
    left = sum(1 for row in by_provider if row.moved) - len(shown)
    if left > 0:
        table.caption = f"and {left} more providers (all in the result's moved[])"
    console.print(table)


def _moved_table(title: str, rows: list[MovedRow], *, what: str = "municipality") -> Table:
    table = Table(title=title, title_justify="left")
    for column in (what, "moved", "in care today", "share moved"):
        table.add_column(column, justify="left" if column == what else "right")
    for row in rows:
        share = f"{row.moved / row.incumbents:.0%}" if row.incumbents else "—"
        table.add_row(row.name, f"{row.moved:,}", f"{row.incumbents:,}", share)
    return table


def _lot_table(instance: Instance, result: Result) -> Table:
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
    table = Table(title="Contracts and payouts per lot", title_justify="left")
    for column in ("lot", "funding", "contracts", "clients", "payout"):
        table.add_column(column, justify="left" if column in ("lot", "funding") else "right")
    for lot in instance.lots:
        table.add_row(
            lot.name or lot.id,
            lot.funding,
            str(len(units[lot.id])),
            f"{clients[lot.id]:,}",
            euro(payout[lot.id]),
        )
    return table


def _split_table(instance: Instance, result: Result) -> Table:
    """Per municipality: what it pays, in parts, and (for a game) what it would pay alone.

    "Alone" is on the amounts' scale (c({m}) × regional cost / c(N)), so the two read side by
    side; the objective c({m}) itself is in the JSON (`stand_alone`).
    """
    split = result.cost_split
    assert split is not None
    alone = {a.municipality: a.amount for a in split.stand_alone_scaled or []}
    parts = {p.municipality: p for p in split.parts or []}
    errors = {a.municipality: a.amount for a in split.standard_errors or []}
    population = {m.id: m.youth_population for m in instance.municipalities}
    names = {m.id: m.name or m.id for m in instance.municipalities}
    table = Table(title=f"Cost split per municipality (rule: {split.rule})", title_justify="left")
    columns = ["municipality", "youth 0–17", "pays together", "per youth"]
    if errors:
        columns.insert(3, "± std. error")
    if parts:
        columns += ["care", "contract", "transfer"]
    if alone:
        columns += ["would pay alone", "gain together"]
    for column in columns:
        table.add_column(column, justify="left" if column == "municipality" else "right")
    captions = []
    if errors:
        solved = (split.core or {}).get("coalitions_checked", "?")
        captions.append(
            f"sampled Shapley: each amount ± its standard error ({solved} coalitions solved)"
        )
    if parts:
        captions.append(
            "transfer: the price the region puts on clients changing provider, not money paid"
        )
    if alone:
        captions.append(
            "alone: buying on its own, on the same scale as 'pays' (its optimal objective c({m}) "
            "× regional cost / c(N)); gain together = alone − together"
        )
    table.caption = "; ".join(captions) or None
    for item in split.amounts:
        m = item.municipality
        youth = population.get(m, 0)
        row = [names.get(m, m), f"{youth:,}", euro(item.amount), euro(item.amount / youth) if youth
               else "—"]  # fmt: skip
        if errors:
            row.insert(3, f"± {euro(errors.get(m))}")
        if parts:
            part = parts.get(m)
            shares = (part.care, part.contract, part.transfer) if part else (None, None, None)
            row += [euro(share) for share in shares]
        if alone:
            mine = alone.get(m)
            row += [euro(mine), euro(None if mine is None else mine - item.amount)]
        table.add_row(*row)
    return table


def print_verdict(instance: Instance, result: Result) -> None:
    """The game's verdict on the split, in sentences (nothing when no game was played)."""
    if result.cost_split is None:
        return
    for sentence in verdict(result.cost_split, instance):
        console.print(f"  {sentence}", markup=False)


def print_comparison(instance: Instance, result: Result) -> None:
    """The plan split by every rule, one column per rule (`dekkend split --compare`)."""
    comparison = result.comparison
    if comparison is None:
        return
    names = {m.id: m.name or m.id for m in instance.municipalities}
    table = Table(title="The same plan split by each rule", title_justify="left")
    table.add_column("municipality")
    for split in comparison.splits:
        table.add_column(split.rule, justify="right")
    columns = [{a.municipality: a.amount for a in s.amounts} for s in comparison.splits]
    for m in instance.municipalities:
        table.add_row(names.get(m.id, m.id), *[euro(c.get(m.id)) for c in columns])
    table.add_row(
        "in the core?",
        *["yes" if (s.core or {}).get("in_core") else "no" for s in comparison.splits],
    )
    table.caption = "each column adds up to the regional cost " + euro(result.regional_cost)
    console.print(table)
    for rule, reason in comparison.refused.items():
        console.print(f"  {rule}: not computed: {reason}", markup=False)
