"""`dekkend generate`: write a seeded synthetic region (SPEC §1 instance) as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solver.cli.app import EXIT_INVALID, app, console
from solver.generate.region import dumps_instance, generate_region


@app.command("generate")
def generate(
    providers: Annotated[int, typer.Option("--providers", help="Number of bidders.")],
    municipalities: Annotated[int, typer.Option("--municipalities", help="Number of gemeenten.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed (≥ 0).")] = 0,
    name: Annotated[str | None, typer.Option("--name", help="Instance name.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of to stdout.")
    ] = None,
) -> None:
    """Generate a realistic region, feasible by construction; same arguments, same bytes."""
    try:
        data = generate_region(
            providers=providers, municipalities=municipalities, seed=seed, name=name
        )
    except ValueError as exc:
        console.print(f"[bold red]cannot generate[/]: {exc}", markup=True)
        raise typer.Exit(EXIT_INVALID) from None
    text = dumps_instance(data)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
    console.print(
        f"{data['name']}: {municipalities} municipalities, {providers} providers, "
        f"{len(data['consortia'])} consortia, {sum(d['clients'] for d in data['demand'])} clients, "
        f"max_contracts {data['policy']['max_contracts']}",
        markup=False,
    )
