"""The human summaries of `dekkend stress` and `dekkend robustness`, printed to stderr."""

from __future__ import annotations

from rich.table import Table

from solver.analysis.robustness import FIRM_IN, FIRM_OUT, OPEN, UNDECIDED, Robustness
from solver.analysis.stress import StressReport
from solver.cli.app import console
from solver.cli.summary import euro
from solver.instance import Instance, place_names, unit_names


def print_stress(instance: Instance, report: StressReport) -> None:
    """Per lost unit: absorbed or not, extra cost, clients, what is left short; then the flags."""
    absorbed = sum(loss.absorbed for loss in report.losses)
    console.print(
        f"{absorbed} of {len(report.losses)} contracted units can fail without breaking the plan "
        "(every other contract kept, their clients re-placed on spare capacity)",
        markup=False,
    )
    table = Table(title="If this unit fails", title_justify="left")
    for column in ("unit", "clients", "re-placed", "extra a year", "outcome"):
        table.add_column(column, justify="left" if column in ("unit", "outcome") else "right")
    order = sorted(report.losses, key=lambda x: (x.absorbed, -(x.clients - x.placed), x.unit))
    for loss in order:
        colour = "green" if loss.absorbed else "red"
        table.add_row(
            loss.name,
            f"{loss.clients:,}",
            f"{loss.placed:,}",
            euro(loss.extra_cost),
            f"[{colour}]{'absorbed' if loss.absorbed else 'not absorbed'}[/]: {loss.words()}",
        )
    console.print(table)
    if not report.concentration:
        console.print(f"no unit holds more than {report.threshold:.0%} of a lot's or a "
                      "municipality's clients")  # fmt: skip
        return
    names, places = unit_names(instance), place_names(instance)
    flags = Table(title=f"Concentration: units above {report.threshold:.0%}", title_justify="left")
    for column in ("unit", "holds", "of", "clients", "share"):
        flags.add_column(column, justify="left" if column in ("unit", "holds", "of") else "right")
    for flag in report.concentration:
        flags.add_row(names.get(flag.unit, flag.unit), flag.scope, places.get(flag.of, flag.of),
                      f"{flag.clients:,} of {flag.total:,}", f"{flag.share:.0%}")  # fmt: skip
    console.print(flags)


def print_robustness(found: Robustness) -> None:
    """The three groups: firm in, open (with the cost of forcing), firm out; undecided apart."""
    console.print(
        f"optimum {euro(found.optimum)}; margin {found.margin:.3%} (plans up to "
        f"{euro(found.threshold)})",
        markup=False,
    )
    firm_in, open_, firm_out = found.group(FIRM_IN), found.group(OPEN), found.group(FIRM_OUT)
    console.print(
        f"firm in: {len(firm_in)}; open: {len(open_)}; firm out: {len(firm_out)}"
        + (f"; undecided: {len(found.group(UNDECIDED))}" if found.group(UNDECIDED) else ""),
        markup=False,
    )
    if firm_in:
        names = ", ".join(d.name for d in firm_in)
        console.print(f"firm in (in every plan within the margin): {names}", markup=False,
                      soft_wrap=True)  # fmt: skip
    if open_:
        table = Table(
            title="Open: a plan within the margin decides otherwise", title_justify="left"
        )
        for column in ("unit", "in the optimum", "cost of forcing"):
            table.add_column(column, justify="left" if column == "unit" else "right")
        for d in sorted(open_, key=lambda d: (d.forcing_cost or 0.0, d.unit)):
            table.add_row(d.name, "yes" if d.contracted else "no", euro(d.forcing_cost))
        console.print(table)
    if firm_out:
        console.print(f"firm out: {len(firm_out)} units are in no plan within the margin",
                      markup=False)  # fmt: skip
    for d in found.group(UNDECIDED):
        console.print(f"undecided: {d.name}: {d.words()}", markup=False)
