"""`dekkend split`: solve and split the regional cost (Shapley, core, stand-alone costs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from solver.analysis.split_by_rule import run_split
from solver.cli.app import (
    EXIT_OK,
    LangOption,
    app,
    console,
    fail_invalid,
    guarded,
    language,
    read_instance,
    write_json,
)
from solver.cli.core_commands import CacheFile, InstancePath, NoCache, open_cache, report_cache
from solver.cli.summary import print_comparison, print_summary
from solver.errors import FieldError, InvalidInput
from solver.result import Status
from solver.split.game.engines import make_engine
from solver.split.game.play import GameSettings

EXIT_NO_SOLUTION = 4


@app.command("split")
def split(
    instance_path: InstancePath,
    rule: Annotated[
        str | None,
        typer.Option(
            help="usage, population, mixed, key, shapley or nucleolus (default: the instance's)."
        ),
    ] = None,
    capacity: Annotated[
        str | None,
        typer.Option(
            help="The game's capacity: proportional (each coalition its share, the default) or "
            "full (each coalition every provider's whole capacity)."
        ),
    ] = None,
    compare: Annotated[
        bool,
        typer.Option(
            "--compare",
            help="Also split the same plan by every rule, side by side (the game played once).",
        ),
    ] = False,
    engine: Annotated[str, typer.Option(help="Where coalitions are solved: local or dask.")] = (
        "local"
    ),
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler tcp://HOST:PORT (default: a LocalCluster).")
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: cores).")] = None,
    samples: Annotated[
        int | None, typer.Option(help="Random orders for Shapley beyond 12 municipalities.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the random orders.")] = None,
    stand_alone: Annotated[
        bool, typer.Option("--stand-alone", help="Stand-alone costs and core check for any rule.")
    ] = False,
    time_limit: Annotated[
        float, typer.Option(help="Seconds for all coalitions together.")
    ] = 3600.0,
    out: Annotated[Path | None, typer.Option(help="Write the result JSON here.")] = None,
    cache: CacheFile = None,
    no_cache: NoCache = False,
    lang: LangOption = None,
) -> None:
    """Solve an instance and split its regional cost over the municipalities (SPEC §5, §7).

    Shapley (exact up to 12 municipalities, else sampled) solves the instance restricted to every
    coalition; the result's cost_split carries the amounts, stand-alone costs, the core verdict
    (most blocking coalitions, least core when empty) and, for sampling, standard errors.
    Proven coalition values are kept in a cache file, so another rule, a --stand-alone check or
    a run that stopped at its time limit does not solve them again.
    Exit 0 when solved or proved infeasible, 2 on invalid input, 1 on an internal error.
    """
    bad = [
        FieldError(path, message)
        for path, message, wrong in (
            ("options.workers", f"must be ≥ 1, not {workers}", workers is not None and workers < 1),
            ("options.time_limit", f"must be > 0 seconds, not {time_limit}", not time_limit > 0),
        )
        if wrong
    ]
    if bad:
        fail_invalid(InvalidInput(bad, "options"))
    try:
        chosen = make_engine(engine, scheduler=scheduler, workers=workers)
    except ValueError as exc:
        fail_invalid(InvalidInput([FieldError("options.engine", str(exc))], "options"))
    try:
        instance = read_instance(instance_path)
    except InvalidInput as exc:
        fail_invalid(exc)
    kept = open_cache(cache, no_cache)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(f"coalitions ({chosen.name})", total=None)

        def advance(done: int, total: int) -> None:
            if bar.tasks[0].total != total:
                # a game's first report: its cached coalitions are done at once, which must not
                # count as speed in the time left
                bar.reset(task, total=total, completed=done)
            else:
                bar.update(task, completed=done)

        def run():  # noqa: ANN202 - local closure
            game = GameSettings(
                engine=chosen, time_limit_s=time_limit, on_progress=advance, cache=kept
            )
            return run_split(
                instance,
                rule=rule,
                samples=samples,
                seed=seed,
                stand_alone=stand_alone,
                capacity=capacity,
                compare=compare,
                game=game,
            )

        try:
            result = guarded(run)
        except InvalidInput as exc:
            fail_invalid(exc)
    write_json(result.model_dump(mode="json"), out)
    print_summary(instance, result, lang=language(lang))
    print_comparison(instance, result, lang=language(lang))
    report_cache(kept, language(lang))
    raise typer.Exit(EXIT_NO_SOLUTION if result.status is Status.NO_SOLUTION else EXIT_OK)
