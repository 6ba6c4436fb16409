"""The human summary of a result, printed to stderr: what an alderman asks first."""

from __future__ import annotations

from collections import defaultdict

from rich.table import Table

from solver.cli.app import console
from solver.instance import Instance
from solver.result import Result, Status


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
    console.print(_lot_table(instance, result))
    costs = result.costs
    if costs is not None:
        console.print(
            f"regional cost [bold]{euro(result.regional_cost)}[/] = payouts "
            f"{euro(costs.payouts)} + contract cost {euro(costs.contract_cost)} + transfer cost "
            f"{euro(costs.transfer_cost)}; {len(result.contracts)} contracts, "
            f"{costs.moved_clients} clients moved"
        )
    if result.cost_split is not None:
        console.print(_split_table(instance, result))


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
    split = result.cost_split
    assert split is not None
    stand_alone = {a.municipality: a.amount for a in split.stand_alone or []}
    population = {m.id: m.youth_population for m in instance.municipalities}
    names = {m.id: m.name or m.id for m in instance.municipalities}
    table = Table(title=f"Cost split per municipality (rule: {split.rule})", title_justify="left")
    table.add_column("municipality")
    table.add_column("youth 0–17", justify="right")
    table.add_column("pays", justify="right")
    table.add_column("per youth", justify="right")
    scale = objective_terms(result)
    if stand_alone:
        # c({m}) is an objective (SPEC §5), "pays" a share of the regional cost: the core check
        # compares c({m}) with the amount scaled back by c(N) / regional cost, so show that too
        table.add_column("pays × c(N)/cost", justify="right")
        table.add_column("alone c({m})", justify="right")
        table.caption = (
            "alone c({m}): the optimal objective (SPEC §3) of buying alone; compare it with "
            "pays × c(N)/cost, the amount in objective terms"
        )
    for item in split.amounts:
        youth = population.get(item.municipality, 0)
        row = [
            names.get(item.municipality, item.municipality),
            f"{youth:,}",
            euro(item.amount),
            euro(item.amount / youth) if youth else "—",
        ]
        if stand_alone:
            row.append(euro(item.amount * scale) if scale is not None else "—")
            row.append(euro(stand_alone.get(item.municipality)))
        table.add_row(*row)
    return table


def objective_terms(result: Result) -> float | None:
    """c(N) / regional cost: turns an amount paid into the objective terms of c({m})."""
    if result.objective is None or not result.regional_cost:
        return None
    return result.objective / result.regional_cost
