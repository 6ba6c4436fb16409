"""Defending a plan: `dekkend baseline` (today's landscape), `stress` and `robustness`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from solver.analysis.alternatives import parse_margin
from solver.analysis.baseline import baseline
from solver.analysis.compare import load_result
from solver.analysis.robustness import robustness
from solver.analysis.stress import stress
from solver.cli.app import (
    LangOption,
    app,
    fail_invalid,
    guarded,
    language,
    progress_bar,
    read_instance,
    write_json,
)
from solver.cli.plan_summary import print_robustness, print_stress
from solver.cli.summary import print_summary
from solver.errors import FieldError, InvalidInput
from solver.i18n import gettext_for
from solver.instance import Instance
from solver.options import SolveOptions
from solver.result import Result
from solver.solve import solve

T = TypeVar("T")

InstanceArg = Annotated[Path, typer.Argument(metavar="INSTANCE.json", help="The instance.")]
Out = Annotated[Path | None, typer.Option(help="Write the result here (else stdout).")]
TimeLimit = Annotated[float, typer.Option(help="Seconds per solve.")]
Threads = Annotated[int, typer.Option(help="Solver threads per solve.")]
Seed = Annotated[int, typer.Option(help="Random seed (same seed, same result).")]


def _options(time_limit: float, threads: int, seed: int) -> SolveOptions:
    try:
        return SolveOptions(time_limit_s=time_limit, threads=threads, seed=seed)
    except ValueError as exc:
        fail_invalid(InvalidInput([FieldError("options", str(exc))], "options"))


@app.command("baseline")
def baseline_command(
    instance_path: InstanceArg,
    out: Out = None,
    time_limit: TimeLimit = 120.0,
    threads: Threads = 1,
    seed: Seed = 0,
    lang: LangOption = None,
) -> None:
    """Today's situation as a plan: incumbents keep their clients, the rest at least cost.

    No max_contracts or other selection rule of the tender. Compare it with a plan:
    `dekkend compare baseline.json plan.json --instance INSTANCE.json`.
    """
    options = _options(time_limit, threads, seed)
    said = language(lang)
    instance = read_instance(instance_path)
    result = guarded(lambda: baseline(instance, options=options))
    write_json(result.model_dump(mode="json"), out)
    print_summary(instance, result, lang=said)


ResultArg = Annotated[Path, typer.Argument(metavar="RESULT.json", help="A result of INSTANCE.")]
Engine = Annotated[str, typer.Option(help="Where the solves run: local or dask.")]
Workers = Annotated[int, typer.Option(help="Worker processes (1: here, one after another).")]


def cores() -> int:
    """The machine's cores (the default worker count of independent solves)."""
    return os.cpu_count() or 1


Scheduler = Annotated[
    str | None, typer.Option(help="Dask scheduler tcp://HOST:PORT (default: a LocalCluster).")
]


def _result_of(path: Path) -> Result:
    return guarded(lambda: load_result(path))


def _asked(what: str, work: Callable[[], T], kind: str = "options") -> T:
    """Run `work` `guarded`; a ValueError is bad input about `what` (exit 2 naming it)."""

    def checked() -> T:
        try:
            return work()
        except ValueError as exc:
            raise InvalidInput([FieldError(what, str(exc))], kind) from None

    return guarded(checked)


@app.command("stress")
def stress_command(
    result_path: ResultArg,
    instance_path: InstanceArg,
    threshold: Annotated[
        str,
        typer.Option(
            help="Flag a unit holding more than this share of a lot's or a "
            "municipality's clients: 25% or 0.25."
        ),  # fmt: skip
    ] = "25%",
    out: Annotated[Path | None, typer.Option(help="Also write the report as JSON.")] = None,
    engine: Engine = "local",
    workers: Workers = 1,
    scheduler: Scheduler = None,
    lang: LangOption = None,
) -> None:
    """Lose each contracted unit in turn: whether the other contracts absorb its clients.

    Every other contract and client stays; the lost unit's clients are re-placed at least cost
    on the spare capacity that reaches them. Per unit: absorbed or not (and why), extra cost,
    clients moved, what is left short; and the units holding too large a share.
    """
    instance = read_instance(instance_path)
    result = _result_of(result_path)
    share = _asked("--threshold", lambda: _share(threshold))
    total = len(result.contracts)
    _ = gettext_for(language(lang))
    with progress_bar(total, _("units lost")) as done:
        report = _asked(
            str(result_path),
            lambda: stress(instance, result, threshold=share, engine=engine, workers=workers,
                           scheduler=scheduler, on_done=done),
            "result",
        )  # fmt: skip
    if out is not None:
        write_json(report.to_dict(), out)
    print_stress(instance, report, lang=language(lang))


def _share(text: str) -> float:
    value = parse_margin(text)
    if not 0 < value <= 1:
        raise ValueError(f"a share is between 0 and 100%, not {text!r}")
    return value


@app.command("robustness")
def robustness_command(
    instance_path: InstanceArg,
    margin: Annotated[
        str, typer.Option(help="Cost margin over the optimum: 0.1% or 0.001.")
    ] = "0.1%",
    result_path: Annotated[
        Path | None,
        typer.Option("--result", help="The proven optimum to judge (default: solve it here)."),
    ] = None,
    outside: Annotated[
        bool, typer.Option(help="Also ask every unit outside the plan (firm out or open).")
    ] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the report as JSON.")] = None,
    time_limit: TimeLimit = 120.0,
    threads: Threads = 1,
    seed: Seed = 0,
    engine: Engine = "local",
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: cores).")] = None,
    scheduler: Scheduler = None,
    lang: LangOption = None,
) -> None:
    """Which contracts are firm and which a coin toss: each forced the other way, within a margin.

    Firm in: no plan without it costs at most optimum × (1 + margin). Open: one does, and the
    table says what forcing it costs. Each verdict is proven by one solve.
    """
    options = _options(time_limit, threads, seed)
    instance = read_instance(instance_path)
    fraction = _asked("--margin", lambda: parse_margin(margin))
    if result_path is not None:
        result = _result_of(result_path)
    else:
        result = guarded(lambda: solve(instance, options=options))
    contracted = {c.unit for c in result.contracts}
    total = len(contracted) if not outside else _unit_count(instance)
    _ = gettext_for(language(lang))
    with progress_bar(total, _("forced solves")) as done:
        found = _asked(
            str(result_path) if result_path is not None else "instance",
            lambda: robustness(instance, result, margin=fraction, options=options,
                               outside=outside, engine=engine, workers=workers or cores(),
                               scheduler=scheduler, on_done=done),
            "result",
        )  # fmt: skip
    if out is not None:
        write_json(found.to_dict(), out)
    print_robustness(found, lang=language(lang))


def _unit_count(instance: Instance) -> int:
    return len(instance.providers) + len(instance.consortia)
