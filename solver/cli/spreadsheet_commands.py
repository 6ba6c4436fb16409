"""`dekkend template`, `import` and `export`: the procurement team's workbook in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solver.cli.app import (
    EXIT_INTERNAL,
    LangOption,
    app,
    console,
    fail_invalid,
    language,
    write_json,
)
from solver.errors import InvalidInput
from solver.instance import dump_instance, load_instance
from solver.io.xlsx.read import read_instance_csv_dir, read_instance_workbook
from solver.io.xlsx.write import write_instance_csv_dir, write_instance_workbook, write_template


def _written(path: Path, what: str) -> None:
    console.print(f"wrote {what} to {path}", markup=False)


def _cannot_write(path: Path, exc: OSError) -> typer.Exit:
    console.print(f"[bold red]cannot write[/] {path}: {exc}")
    return typer.Exit(EXIT_INTERNAL)


@app.command("template")
def template_command(
    out: Annotated[Path, typer.Argument(help="Where to write the empty workbook (.xlsx).")],
    lang: LangOption = None,
) -> None:
    """Write the empty, documented workbook: every column explained, drop-downs for choices.

    Sheet and column titles and the comments are Dutch by default (`--lang en`: English); a
    workbook is read back in either language.
    """
    said = language(lang)
    try:
        write_template(out, lang=said)
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    _written(out, "the template")


@app.command("import")
def import_command(
    source: Annotated[
        Path, typer.Argument(help="A workbook (.xlsx), or a folder of CSV files named by sheet.")
    ],
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Instance JSON file (default: stdout).")
    ] = None,
) -> None:
    """Read a workbook or CSV folder into SPEC instance JSON; every bad cell is named."""
    try:
        if source.is_dir():
            instance = read_instance_csv_dir(source)
        else:
            instance = read_instance_workbook(source)
    except InvalidInput as exc:
        fail_invalid(exc)
    try:
        write_json(dump_instance(instance), out)
    except OSError as exc:
        raise _cannot_write(out or Path("-"), exc) from None
    if out is not None:
        _written(out, f"instance {instance.name!r}")


@app.command("export")
def export_command(
    instance_path: Annotated[Path, typer.Argument(help="Instance JSON file.")],
    out: Annotated[
        Path,
        typer.Option(
            "-o", "--out", help="Workbook (.xlsx), or a folder for CSV files (any other name)."
        ),
    ],
    lang: LangOption = None,
) -> None:
    """Write an instance as a workbook (or CSV folder) that `import` reads back identically.

    The workbook is titled in Dutch by default (`--lang en`: English); CSV files keep SPEC's
    field names.
    """
    said = language(lang)
    try:
        instance = load_instance(instance_path)
    except InvalidInput as exc:
        fail_invalid(exc)
    try:
        if out.suffix.lower() == ".xlsx":
            write_instance_workbook(instance, out, lang=said)
        else:
            write_instance_csv_dir(instance, out)
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    _written(out, f"instance {instance.name!r}")
