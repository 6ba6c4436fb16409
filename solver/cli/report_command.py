"""`dekkend report RESULT.json [--instance] [--sweep] [--compare] [--stress] [--robustness]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from solver.analysis.compare import load_result
from solver.analysis.sweep import read_sweep
from solver.cli.app import EXIT_INTERNAL, LangOption, app, console, fail_invalid, guarded, language
from solver.errors import FieldError, InvalidInput
from solver.i18n import gettext_for
from solver.instance import load_instance, read_json


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
    compare_path: Annotated[
        Path | None,
        typer.Option("--compare", help="Another result to set beside it (baseline, selective)."),
    ] = None,
    stress_path: Annotated[
        Path | None, typer.Option("--stress", help="A `dekkend stress --out` report.")
    ] = None,
    robustness_path: Annotated[
        Path | None, typer.Option("--robustness", help="A `dekkend robustness --out` report.")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also print it to PDF (A4) beside the HTML, by Chromium.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Write one self-contained HTML report: headline, coverage, payouts, split, sweep curve.

    With --compare, --stress and --robustness also the plan beside another, what a failing
    contract would break, and which contracts are firm.
    """
    # imported on use: matplotlib takes 0.4 s to load, which every other command would pay
    from solver.report.html import render_report
    from solver.report.pdf import PdfError, print_pdf

    said = language(lang)
    try:
        result = load_result(result_path)
        instance = load_instance(instance_path) if instance_path is not None else None
        sweep = read_sweep(sweep_path) if sweep_path is not None else None
        other = load_result(compare_path) if compare_path is not None else None
        stress = _report_json(stress_path, "stress", ("losses", "concentration"))
        robustness = _report_json(robustness_path, "robustness", ("decisions", "threshold"))
    except InvalidInput as exc:
        fail_invalid(exc)
    page = guarded(lambda: render_report(result, instance, sweep, lang=said, other=other,
                                         stress=stress, robustness=robustness))  # fmt: skip
    out.write_text(page, encoding="utf-8")
    _ = gettext_for(said)
    console.print(_("wrote {path}").format(path=out), markup=False)
    if pdf:
        try:
            written = print_pdf(out, out.with_suffix(".pdf"))
        except PdfError as exc:
            console.print(f"error: {exc}", markup=False)
            raise typer.Exit(EXIT_INTERNAL) from None
        console.print(_("wrote {path}").format(path=written), markup=False)


def _report_json(path: Path | None, what: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
    """A report written by `dekkend stress/robustness --out`, or `InvalidInput` naming it."""
    if path is None:
        return None
    data = read_json(path, what)
    missing = [k for k in keys if not isinstance(data, dict) or k not in data]
    if missing:
        raise InvalidInput(
            [FieldError(str(path), f"is not a `dekkend {what} --out` report (no {missing[0]})")],
            what,
        )
    return data
