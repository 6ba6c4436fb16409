"""The human summaries of `dekkend stress` and `dekkend robustness`, printed to stderr."""

from __future__ import annotations

from rich.table import Table

from solver.analysis.robustness import FIRM_IN, FIRM_OUT, OPEN, UNDECIDED, Robustness
from solver.analysis.stress import StressReport
from solver.cli.app import console
from solver.i18n import count, gettext_for, money, percent
from solver.i18n.messages import say
from solver.instance import Instance, place_names, unit_names


def print_stress(instance: Instance, report: StressReport, *, lang: str) -> None:
    """Per lost unit: absorbed or not, extra cost, clients, what is left short; then the flags."""
    _ = gettext_for(lang)
    absorbed = sum(loss.absorbed for loss in report.losses)
    console.print(
        _(
            "{absorbed} of {units} contracted units can fail without breaking the plan (every "
            "other contract kept, their clients re-placed on spare capacity)"
        ).format(absorbed=absorbed, units=len(report.losses)),
        markup=False,
    )
    table = Table(title=_("If this unit fails"), title_justify="left")
    for k, column in enumerate(
        (_("unit"), _("clients"), _("re-placed"), _("extra a year"), _("outcome"))
    ):
        table.add_column(column, justify="left" if k in (0, 4) else "right")
    order = sorted(report.losses, key=lambda x: (x.absorbed, -(x.clients - x.placed), x.unit))
    for loss in order:
        colour = "green" if loss.absorbed else "red"
        verdict = _("absorbed") if loss.absorbed else _("not absorbed")
        table.add_row(
            loss.name,
            count(loss.clients, lang),
            count(loss.placed, lang),
            money(loss.extra_cost, lang),
            f"[{colour}]{verdict}[/]: {say(loss.words(), lang)}",
        )
    console.print(table)
    if not report.concentration:
        console.print(
            _("no unit holds more than {share} of a lot's or a municipality's clients").format(
                share=percent(report.threshold, lang)
            )
        )
        return
    names, places = unit_names(instance), place_names(instance)
    flags = Table(
        title=_("Concentration: units above {share}").format(share=percent(report.threshold, lang)),
        title_justify="left",
    )
    for k, column in enumerate((_("unit"), _("holds"), _("of"), _("clients"), _("share"))):
        flags.add_column(column, justify="left" if k < 3 else "right")
    for flag in report.concentration:
        flags.add_row(
            names.get(flag.unit, flag.unit),
            flag.scope,
            places.get(flag.of, flag.of),
            _("{n} of {total}").format(n=count(flag.clients, lang), total=count(flag.total, lang)),
            percent(flag.share, lang),
        )
    console.print(flags)


def print_robustness(found: Robustness, *, lang: str) -> None:
    """The three groups: firm in, open (with the cost of forcing), firm out; undecided apart."""
    _ = gettext_for(lang)
    console.print(
        _("optimum {optimum}; margin {margin} (plans up to {threshold})").format(
            optimum=money(found.optimum, lang),
            margin=percent(found.margin, lang, 3),
            threshold=money(found.threshold, lang),
        ),
        markup=False,
    )
    firm_in, open_, firm_out = found.group(FIRM_IN), found.group(OPEN), found.group(FIRM_OUT)
    undecided = found.group(UNDECIDED)
    line = _("firm in: {firm}; open: {open}; firm out: {out}").format(
        firm=len(firm_in), open=len(open_), out=len(firm_out)
    )
    if undecided:
        line += "; " + _("undecided: {n}").format(n=len(undecided))
    console.print(line, markup=False)
    if firm_in:
        names = ", ".join(d.name for d in firm_in)
        console.print(
            _("firm in (in every plan within the margin): {names}").format(names=names),
            markup=False,
            soft_wrap=True,
        )
    if open_:
        table = Table(
            title=_("Open: a plan within the margin decides otherwise"), title_justify="left"
        )
        for k, column in enumerate((_("unit"), _("in the optimum"), _("cost of forcing"))):
            table.add_column(column, justify="left" if k == 0 else "right")
        for d in sorted(open_, key=lambda d: (d.forcing_cost or 0.0, d.unit)):
            table.add_row(
                d.name, _("yes") if d.contracted else _("no"), money(d.forcing_cost, lang)
            )
        console.print(table)
    if firm_out:
        console.print(
            _("firm out: {n} units are in no plan within the margin").format(n=len(firm_out)),
            markup=False,
        )
    for d in undecided:
        console.print(
            _("undecided: {name}: {why}").format(name=d.name, why=say(d.words(), lang)),
            markup=False,
        )
