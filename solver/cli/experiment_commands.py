"""Analyst experiments: `dekkend sweep`, `min-contracts`, `min-moved`, `rules` and `compare`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from solver.analysis.baseline import incumbent_statement
from solver.analysis.compare import compare, format_care_change, load_result
from solver.analysis.fewest import Fewest
from solver.analysis.min_contracts import min_contracts
from solver.analysis.min_moved import min_moved
from solver.analysis.rule_costs import rule_costs
from solver.analysis.scenario import GROWTH, growth_setting, parse_setting
from solver.analysis.sweep import grid, run_parallel, solve_row, write_sweep
from solver.cli.app import (
    LangOption,
    app,
    console,
    fail_invalid,
    guarded,
    language,
    progress_bar,
    read_instance,
    write_json,
)
from solver.cli.summary import print_moved
from solver.errors import FieldError, InvalidInput
from solver.i18n import count, gettext_for, money, percent
from solver.i18n.messages import say
from solver.i18n.words import COST_WORDS, STATUS, word
from solver.instance import Instance, municipality_names, unit_names
from solver.options import SolveOptions

InstanceArg = Annotated[Path, typer.Argument(metavar="INSTANCE.json", help="The instance.")]
TimeLimit = Annotated[float, typer.Option(help="Seconds per solve.")]
Threads = Annotated[int, typer.Option(help="Solver threads per solve.")]
Seed = Annotated[int, typer.Option(help="Random seed (same seed, same result).")]


def _options(time_limit: float, threads: int, seed: int, gap: float = 1e-6) -> SolveOptions:
    try:
        return SolveOptions(time_limit_s=time_limit, threads=threads, seed=seed, gap=gap)
    except ValueError as exc:
        fail_invalid(InvalidInput([FieldError("options", str(exc))], "options"))


def _money(value: Any, lang: str) -> str:
    return money(value, lang)


@app.command("sweep")
def sweep_command(
    instance_path: InstanceArg,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="PATH=VALUES, e.g. policy.max_contracts=20:120:5 (stop included) or "
            "lots[ambulant].min_providers=1,2; repeat for a grid of all combinations.",
        ),
    ] = None,
    growth: Annotated[
        str | None,
        typer.Option(
            help="Yearly demand growth of a horizon instance, e.g. 0:0.05:0.01: period t's "
            "demand × (1 + g)^t. Up to what growth does the landscape hold, at what cost?",
        ),
    ] = None,
    fix_contracts: Annotated[
        Path | None,
        typer.Option("--fix-contracts", help="RESULT.json: every scenario keeps its contracts."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Rows as JSON; the CSV goes beside it.")] = Path(
        "sweep.json"
    ),
    workers: Annotated[int, typer.Option(help="Parallel solves.")] = 2,
    time_limit: TimeLimit = 60.0,
    threads: Threads = 1,
    seed: Seed = 0,
    lang: LangOption = None,
) -> None:
    """Solve every combination of --set (and --growth) values in parallel; sweep.json and .csv."""
    options = _options(time_limit, threads, seed)
    said = language(lang)
    _ = gettext_for(said)
    instance = read_instance(instance_path)
    if not set_ and growth is None:
        fail_invalid(InvalidInput([FieldError("--set", "give --set or --growth (or both)")],
                                  "options"))  # fmt: skip
    settings = guarded(lambda: [parse_setting(text) for text in set_ or []])
    if growth is not None:
        settings.append(guarded(lambda: growth_setting(growth)))
    scenarios = guarded(lambda: grid(instance, settings))
    fixed = guarded(lambda: load_result(fix_contracts).contracts) if fix_contracts else None
    jobs = [(chosen, scenario, options, fixed) for chosen, scenario in scenarios]
    console.print(
        _("{n} scenario(s), {workers} worker(s)").format(n=len(jobs), workers=max(1, workers))
    )
    with progress_bar(len(jobs), _("solving")) as done:
        rows = guarded(lambda: run_parallel(solve_row, jobs, workers=workers, on_done=done))
    csv_path = write_sweep(rows, out)
    solved = sum(1 for r in rows if r["objective"] is not None)
    console.print(
        _("{solved} of {n} solved; wrote {json} and {csv}").format(
            solved=solved, n=len(rows), json=out, csv=csv_path
        ),
        markup=False,
    )
    if growth is not None and len(settings) == 1:
        for line in growth_summary(rows, said):
            console.print(line, markup=False, soft_wrap=True)


def growth_summary(rows: list[dict[str, Any]], lang: str) -> list[str]:
    """Up to what yearly growth the plans hold, and what each step of growth costs."""
    _ = gettext_for(lang)
    lines = []
    previous: dict[str, Any] | None = None
    explained = False
    for row in rows:
        g = row["settings"][GROWTH]
        if row["objective"] is None:
            why = f" — {say(row['explanation'][0], lang)}" if row["explanation"] else ""
            status = word(STATUS, row["status"], lang)
            lines.append(
                _("growth {g}: {status}").format(g=percent(g, lang, 1), status=status) + why
            )
            if not explained:  # the first growth that breaks the landscape, in full
                lines += [f"    {say(line, lang)}" for line in row["explanation"][1:]]
                explained = True
        else:
            step = ""
            if previous is not None and previous["objective"] is not None:
                step = " " + _("(+{cost} on the step before)").format(
                    cost=_money(row["objective"] - previous["objective"], lang)
                )
            lines.append(
                _("growth {g}: objective {objective}").format(
                    g=percent(g, lang, 1), objective=_money(row["objective"], lang)
                )
                + step
            )
        previous = row
    holding = [r["settings"][GROWTH] for r in rows if r["objective"] is not None]
    if holding:
        lines.append(
            _("the landscape holds up to {g} a year of the values tried").format(
                g=percent(max(holding), lang, 1)
            )
        )
    return lines


@app.command("min-contracts")
def min_contracts_command(
    instance_path: InstanceArg,
    out: Annotated[Path | None, typer.Option(help="Write the result here (else stdout).")] = None,
    time_limit: TimeLimit = 120.0,
    threads: Threads = 1,
    seed: Seed = 0,
    lang: LangOption = None,
) -> None:
    """Fewest contracts keeping every rule except max_contracts, and the cheapest such plan."""
    options = _options(time_limit, threads, seed)
    _fewest(min_contracts, "max_contracts", instance_path, out, options, lang)


@app.command("min-moved")
def min_moved_command(
    instance_path: InstanceArg,
    out: Annotated[Path | None, typer.Option(help="Write the result here (else stdout).")] = None,
    time_limit: TimeLimit = 120.0,
    threads: Threads = 1,
    seed: Seed = 0,
    lang: LangOption = None,
) -> None:
    """Fewest clients in care who must change provider, and the cheapest plan at that number.

    Every other rule of the instance holds; the result's moved[] lists who moves.
    """
    options = _options(time_limit, threads, seed)
    instance, found, said = _fewest(min_moved, "max_moved", instance_path, out, options, lang)
    if found.least is not None and found.result.moved:
        print_moved(instance, found.result, lang=said)


def _fewest(
    find: Callable[..., Fewest],
    field: str,
    instance_path: Path,
    out: Path | None,
    options: SolveOptions,
    lang: str | None,
) -> tuple[Instance, Fewest, str]:
    """Run `min_contracts` or `min_moved` (the rule it minimises: `field`), write, print."""
    said = language(lang)
    _ = gettext_for(said)
    instance = read_instance(instance_path)
    found = guarded(lambda: find(instance, options=options))
    words = {"max_contracts": _("contracts"), "max_moved": _("clients who change provider")}
    limit = getattr(instance.policy, field)
    _print_fewest(found, words[field], field, limit, out, said)
    return instance, found, said


def _print_fewest(
    found: Fewest, words: str, name: str, limit: int | None, out: Path | None, lang: str
) -> None:
    _ = gettext_for(lang)
    write_json(found.to_dict(), out)
    result = found.result
    if found.least is None:
        console.print(
            _("no minimum: {status}").format(status=word(STATUS, result.status.value, lang)),
            markup=False,
        )
        for line in result.explanation:
            console.print(f"  {say(line, lang)}", markup=False, soft_wrap=True)
        return
    proven = "" if found.proven else " " + _("(upper bound: time limit)")
    console.print(
        _(
            "fewest {what}: {least}{proven} (instance {name}: {limit}); cheapest plan with that "
            "many: {status}, objective {objective}"
        ).format(
            what=words,
            least=count(found.least, lang),
            proven=proven,
            name=name,
            limit=limit,
            status=word(STATUS, result.status.value, lang),
            objective=_money(result.objective, lang),
        ),
        markup=False,
        soft_wrap=True,
    )


@app.command("rules")
def rules_command(
    instance_path: InstanceArg,
    out: Annotated[Path | None, typer.Option(help="Also write the rows as JSON here.")] = None,
    time_limit: TimeLimit = 60.0,
    threads: Threads = 1,
    seed: Seed = 0,
    lang: LangOption = None,
) -> None:
    """What each rule costs: the optimum with it relaxed minus the optimum with it, sorted."""
    options = _options(time_limit, threads, seed)
    said = language(lang)
    _ = gettext_for(said)
    instance = read_instance(instance_path)
    rows = guarded(lambda: rule_costs(instance, options=options))
    table = Table(title=_("cost of each rule: {name}").format(name=instance.name))
    columns = (
        _("rule"),
        _("value"),
        _("relaxed to"),
        _("optimum with"),
        _("relaxed"),
        _("cost"),
        _("shadow price"),
    )
    for k, column in enumerate(columns):
        table.add_column(column, justify="left" if k == 0 else "right")
    for r in rows:
        shadow = "—" if r.shadow_price is None else f"{r.shadow_price:,.4g}"
        relaxed = (
            _money(r.objective_relaxed, said)
            if r.objective_relaxed is not None
            else word(STATUS, r.status_relaxed, said)
        )
        table.add_row(
            r.rule,
            r.value,
            r.relaxed_to,
            _money(r.objective_with, said),
            relaxed,
            _money(r.cost, said),
            shadow,
        )
    console.print(table, width=max(console.width, 150))
    meanings = dict.fromkeys(f"{r.rule}: {r.shadow_meaning}" for r in rows if r.shadow_meaning)
    console.print(_("shadow prices:"), markup=False)
    for line in meanings:
        console.print(f"  {line}", markup=False, soft_wrap=True)
    if out is not None:
        write_json([r.to_dict() for r in rows], out)


@app.command("compare")
def compare_command(
    a_path: Annotated[Path, typer.Argument(metavar="A.json", help="A result.")],
    b_path: Annotated[Path, typer.Argument(metavar="B.json", help="Another result.")],
    instance_path: Annotated[
        Path | None,
        typer.Option("--instance", help="The instance (for care cost per municipality)."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the comparison as JSON.")] = None,
    lang: LangOption = None,
) -> None:
    """Compare two results: contracts won and lost, per-municipality cost deltas, clients moved."""
    said = language(lang)
    _ = gettext_for(said)
    a = guarded(lambda: load_result(a_path))
    b = guarded(lambda: load_result(b_path))
    instance = read_instance(instance_path) if instance_path is not None else None
    if instance is not None:
        for label, result in (("A", a), ("B", b)):
            if result.instance is not None and result.instance != instance.name:
                fail_invalid(
                    InvalidInput(
                        [
                            FieldError(
                                label,
                                f"is a result of instance {result.instance!r}, "
                                f"not of {instance.name!r}",
                            )
                        ],
                        "result",
                    ),
                    said,
                )
    diff = compare(a, b, instance)
    units = unit_names(instance) if instance is not None else {}
    places = municipality_names(instance) if instance is not None else {}
    objective = diff["objective"]
    console.print(
        _(
            "objective {a} → {b} (Δ {delta}); contracts {ca} → {cb}; clients placed elsewhere: "
            "{moved}"
        ).format(
            a=_money(objective[0], said),
            b=_money(objective[1], said),
            delta=_money(objective[2], said),
            ca=diff["contracts"][0],
            cb=diff["contracts"][1],
            moved=count(diff["clients_moved"], said),
        ),
        markup=False,
        soft_wrap=True,
    )
    lines = Table(title=_("line by line (B − A)"), title_justify="left")
    for column in ("", "A", "B", "B − A"):
        lines.add_column(column, justify="left" if not column else "right")
    lines.add_row(
        _("contracts"),
        *[str(n) for n in diff["contracts"]],
        f"{diff['contracts'][1] - diff['contracts'][0]:+d}",
    )
    for name, (x, y, d) in diff["costs"].items():
        lines.add_row(
            _(COST_WORDS.get(name, name)), _money(x, said), _money(y, said), _money(d, said)
        )
    moved = [r.costs.moved_clients if r.costs else None for r in (a, b)]
    lines.add_row(
        _("clients who change provider (own incumbents)"),
        *[("—" if n is None else count(n, said)) for n in moved],
        "",
    )
    console.print(lines)
    if instance is not None:
        console.print(
            _("incumbent data: {statement}").format(
                statement=say(incumbent_statement(instance), said)
            ),
            markup=False,
        )
    none = _("none")
    won = ", ".join(units.get(u, u) for u in diff["won"]) or none
    lost = ", ".join(units.get(u, u) for u in diff["lost"]) or none
    console.print(_("won (in B only): {units}").format(units=won), markup=False, soft_wrap=True)
    console.print(_("lost (in A only): {units}").format(units=lost), markup=False, soft_wrap=True)
    for unit, change in diff["care_types_changed"].items():
        console.print(f"  {format_care_change(units.get(unit, unit), change)}", markup=False)
    table = Table(title=_("per municipality (B − A)"))
    keys = ["pays_a", "pays_b", "pays_delta"] + (
        ["care_a", "care_b", "care_delta"] if instance is not None else []
    )
    heads = {
        "pays_a": _("pays in A"),
        "pays_b": _("pays in B"),
        "pays_delta": _("pays B − A"),
        "care_a": _("care in A"),
        "care_b": _("care in B"),
        "care_delta": _("care B − A"),
    }
    table.add_column(_("municipality"))
    for key in keys:
        table.add_column(heads[key], justify="right")
    for m, row in diff["municipalities"].items():
        table.add_row(places.get(m, m), *[_money(row[k], said) for k in keys])
    console.print(table, width=max(console.width, 150))
    if out is not None:
        write_json(diff, out)
