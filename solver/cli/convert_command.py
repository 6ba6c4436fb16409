"""`dekkend convert`: an OR-Library benchmark file to a SPEC instance JSON file."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from solver.cli.app import EXIT_INTERNAL, app, console, fail_invalid
from solver.errors import InvalidInput
from solver.instance import parse_instance
from solver.io.orlib import convert, known_optimum


class Family(StrEnum):
    """The OR-Library families `convert` reads."""

    cap = "orlib-cap"
    ucap = "orlib-ucap"
    pmed = "orlib-pmed"
    scp = "orlib-scp"


@app.command("convert")
def convert_command(
    family: Annotated[
        Family,
        typer.Argument(
            help="orlib-cap (capacitated facility location), orlib-ucap (the same files, "
            "uncapacitated), orlib-pmed (p-median), orlib-scp (set covering)."
        ),
    ],
    source: Annotated[Path, typer.Argument(help="The OR-Library data file.")],
    capacity: Annotated[
        int | None,
        typer.Option(
            "--capacity",
            min=0,
            help="orlib-cap on capa/capb/capc: the capacity of every warehouse "
            "(published optima: capa 8000..14000, capb 5000..8000, capc 5000..7250).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Instance JSON to write (stdout when absent)."),
    ] = None,
) -> None:
    """Convert an OR-Library benchmark file into a SPEC instance with the same optimum."""
    started = time.perf_counter()
    try:
        raw = convert(family.value, source, capacity=capacity)
    except InvalidInput as error:
        fail_invalid(error)
    # The converter builds what the schema wants; checking keeps a bug from leaving a bad file.
    try:
        parse_instance(raw)
    except InvalidInput as error:
        console.print(f"[bold red]internal error[/]: the converted instance is invalid: {error}")
        raise typer.Exit(EXIT_INTERNAL) from None
    text = json.dumps(raw, separators=(",", ":"), ensure_ascii=False)
    if out is None:
        typer.echo(text)
    else:
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            console.print(f"cannot write {out}: {exc}", markup=False)
            raise typer.Exit(EXIT_INTERNAL) from None
    optimum = known_optimum(family.value, raw["name"])
    console.print(
        f"{raw['name']}: {len(raw['providers'])} providers, {len(raw['municipalities'])} "
        f"municipalities, {len(text) / 1e6:.1f} MB"
        + (f" -> {out}" if out else "")
        + f" in {time.perf_counter() - started:.2f} s"
        + (f"; known optimum {optimum!r} (optima.csv)" if optimum is not None else ""),
        markup=False,
        soft_wrap=True,
    )
