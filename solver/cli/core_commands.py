"""`dekkend solve` and `dekkend validate` (SPEC §7)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from solver.analysis.alternatives import (
    differences,
    find_alternatives,
    format_alternatives,
    parse_margin,
)
from solver.analysis.compare import load_result
from solver.analysis.scenario import parse_setting, scenario
from solver.cli.app import (
    EXIT_OK,
    LangOption,
    app,
    console,
    fail_invalid,
    guarded,
    language,
    load_any_instance,
    write_json,
)
from solver.cli.summary import print_summary
from solver.errors import FieldError, InvalidInput
from solver.i18n import count, gettext_for
from solver.instance import Instance, dump_instance
from solver.io.xlsx.result import write_result_workbook
from solver.options import SolveOptions
from solver.result import Contract, ErrorItem, Result, Status
from solver.solve import solve as solve_instance
from solver.split.game.cache import CoalitionCache, default_path
from solver.split.game.play import GameSettings

# A solve that ran out of time without any plan: neither solved nor an input or internal error.
EXIT_NO_SOLUTION = 4

InstancePath = Annotated[
    Path, typer.Argument(help="Instance file: SPEC JSON, or an .xlsx workbook.", show_default=False)
]
CacheFile = Annotated[
    Path | None,
    typer.Option(
        "--cache",
        help="SQLite file of proven coalition values (shapley splits), read and added to "
        "(default: ~/.cache/dekkend/coalitions.sqlite).",
    ),
]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Solve every coalition; read and keep nothing.")
]


def open_cache(cache: Path | None, no_cache: bool) -> CoalitionCache | None:
    """The coalition cache the options ask for (exit 2 when they clash)."""
    if no_cache and cache is not None:
        fail_invalid(InvalidInput([FieldError("options.cache", "--cache and --no-cache clash")],
                                  "options"))  # fmt: skip
    return None if no_cache else CoalitionCache(cache or default_path())


def report_cache(kept: CoalitionCache | None, lang: str) -> None:
    """A line on stderr when the cache was switched off or gave values."""
    _ = gettext_for(lang)
    if kept is not None and kept.problem is not None:
        console.print("  " + _("coalition cache off: {why}").format(why=kept.problem), markup=False)
    if kept is not None and kept.hits:
        console.print(
            "  "
            + _("{n} coalition values read from {path} (--no-cache solves them again)").format(
                n=count(kept.hits, lang), path=kept.path
            ),
            markup=False,
        )


@app.command()
def solve(
    instance_path: InstancePath,
    backend: Annotated[
        str, typer.Option(help="highs, cpsat, pulp (CBC) or pulp:SOLVER (any PuLP solver).")
    ] = "highs",
    time_limit: Annotated[float, typer.Option(help="Seconds; the best plan so far after.")] = 120.0,
    gap: Annotated[float, typer.Option(help="Relative gap that counts as optimal.")] = 1e-6,
    threads: Annotated[int, typer.Option(help="Solver threads.")] = 1,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same result).")] = 0,
    out: Annotated[
        Path | None, typer.Option(help="Write the result here (.json, or .xlsx for a workbook).")
    ] = None,
    log: Annotated[bool, typer.Option(help="Show the solver's own log.")] = False,
    alternatives: Annotated[
        int,
        typer.Option(
            help="Also find K other contract sets within --within of the optimum, cheapest first "
            "(each `feasible` with the optimum's bound and its gap to it; `optimal` only on a tie)."
        ),
    ] = 0,
    within: Annotated[str, typer.Option(help="Margin for --alternatives: 1% or 0.01.")] = "1%",
    cache: CacheFile = None,
    no_cache: NoCache = False,
    fix_contracts: Annotated[
        Path | None,
        typer.Option(
            "--fix-contracts",
            help="RESULT.json: keep exactly that plan's contracts (e.g. against a new demand "
            "forecast) and find the cheapest assignment, or say where the landscape falls short.",
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="PATH=VALUE: solve the instance with one field changed, e.g. "
            "lots[specialistisch].open_house=false or policy.max_moved=500 (repeatable).",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Solve an instance: which providers to contract, what each is paid, who pays what.

    Writes the result JSON to stdout (or --out) and a summary to stderr. Exit 0 when solved or
    proved infeasible, 2 when the instance is invalid, 4 when the time ran out without a plan,
    1 on an internal error. A region whose split rule is shapley keeps its proven coalition
    values in the coalition cache, as `dekkend split` does.
    """
    said = language(lang)
    try:
        options = SolveOptions(
            backend=backend, time_limit_s=time_limit, gap=gap, threads=threads, seed=seed, log=log
        )
    except ValueError as exc:
        fail_invalid(InvalidInput([FieldError("options", str(exc))], "options"))
    try:
        instance = load_any_instance(instance_path)
    except InvalidInput as exc:
        invalid = Result(
            status=Status.INVALID,
            errors=[ErrorItem(path=e.path, message=e.message) for e in exc.errors],
        )
        _write_result(None, invalid, out, said)
        fail_invalid(exc)
    if set_:
        instance = _changed(instance, set_)
    fixed = guarded(lambda: load_result(fix_contracts).contracts) if fix_contracts else None
    kept = open_cache(cache, no_cache)
    # a game split rule reads and keeps its coalitions in the cache, in what the solve leaves
    game = GameSettings(time_limit_s=None, cache=kept)
    if alternatives > 0:
        _solve_with_alternatives(instance, options, alternatives, within, out, game, said)
        report_cache(kept, said)
        raise typer.Exit(EXIT_OK)
    result = _run(instance, options, game, fixed)
    _write_result(instance, result, out, said)
    print_summary(instance, result, lang=said)
    report_cache(kept, said)
    if result.status is Status.NO_SOLUTION:
        raise typer.Exit(EXIT_NO_SOLUTION)
    raise typer.Exit(EXIT_OK)


@app.command()
def validate(instance_path: InstancePath, lang: LangOption = None) -> None:
    """Check an instance against SPEC §1; list every error with its path. Exit 0 or 2."""
    said = language(lang)
    _ = gettext_for(said)
    try:
        instance = load_any_instance(instance_path)
    except InvalidInput as exc:
        fail_invalid(exc, said)
    console.print(
        "[green]"
        + escape(_("valid"))
        + "[/]: "
        + escape(
            _(
                "{name}: {municipalities} municipalities, {lots} lots, {care_types} care types, "
                "{providers} providers, {consortia} consortia"
            ).format(name=instance.name, **instance.sizes())
        )
    )


def _solve_with_alternatives(
    instance: Instance,
    options: SolveOptions,
    k: int,
    within: str,
    out: Path | None,
    game: GameSettings,
    lang: str,
) -> None:
    """The optimum and up to k other contract sets within the margin, each with what differs."""
    try:
        margin = parse_margin(within)
    except ValueError as exc:
        fail_invalid(InvalidInput([FieldError("--within", str(exc))], "options"))
    results = guarded(lambda: find_alternatives(instance, options, k, margin, game=game))
    best = results[0]
    payload = best.model_dump(mode="json") | {
        "alternatives": [
            r.model_dump(mode="json") | {"differs": differences(best, r)} for r in results[1:]
        ]
    }
    write_json(payload, out)
    print_summary(instance, best, lang=lang)
    for line in format_alternatives(results):
        console.print(line, markup=False)


def _changed(instance: Instance, texts: list[str]) -> Instance:
    """The instance with each `--set PATH=VALUE` applied (one value each), or exit 2."""

    def build() -> Instance:
        settings = [parse_setting(text) for text in texts]
        several = [s.text for s in settings if len(s.values) != 1]
        if several:
            errors = [FieldError(f"--set {t}", "solve takes one value; sweep takes several")
                      for t in several]  # fmt: skip
            raise InvalidInput(errors, "setting")
        return scenario(dump_instance(instance), settings, tuple(s.values[0] for s in settings))

    return guarded(build)


def _run(
    instance: Instance, options: SolveOptions, game: GameSettings, fixed: list[Contract] | None
) -> Result:
    """Solve, turning every failure into one line and an exit code; never a traceback."""
    return guarded(lambda: solve_instance(instance, options=options, game=game, fixed=fixed))


def _write_result(instance: Instance | None, result: Result, out: Path | None, lang: str) -> None:
    if out is not None and out.suffix.lower() == ".xlsx" and instance is not None:
        write_result_workbook(instance, result, out, lang=lang)
        return
    write_json(result.model_dump(mode="json"), out)
