"""`dekkend report RESULT.json [--instance] [--sweep] -o report.html`: one self-contained page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solver.analysis.compare import load_result
from solver.analysis.sweep import read_sweep
from solver.cli.app import app, console, fail_invalid
from solver.errors import InvalidInput
from solver.instance import load_instance


@app.command("report")
def report_command(
    result_path: Annotated[Path, typer.Argument(metavar="RESULT.json", help="A result file.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="The HTML page to write.")] = Path(
        "report.html"
    ),
    instance_path: Annotated[
        Path | None, typer.Option("--instance", help="Its instance (coverage matrix and gaps).")
    ] = None,
    sweep_path: Annotated[
        Path | None, typer.Option("--sweep", help="A sweep.json (cost of consolidation curve).")
    ] = None,
) -> None:
    """Write one self-contained HTML report: headline, coverage, payouts, split, sweep curve."""
    # imported on use: matplotlib takes 0.4 s to load, which every other command would pay
    from solver.report.html import render_report

    try:
        result = load_result(result_path)
        instance = load_instance(instance_path) if instance_path is not None else None
        sweep = read_sweep(sweep_path) if sweep_path is not None else None
    except InvalidInput as exc:
        fail_invalid(exc)
    out.write_text(render_report(result, instance, sweep), encoding="utf-8")
    console.print(f"wrote {out}", markup=False)
