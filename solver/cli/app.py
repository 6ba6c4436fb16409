"""The Typer app `dekkend` and what every command shares: exit codes and error printing.

Exit codes (SPEC §7): 0 solved or proved infeasible / check passed, 1 internal error,
2 invalid input, 3 the checked result breaks rules.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from solver.errors import DekkendError, FieldError, InvalidInput, UnknownBackend
from solver.i18n import choose_language, gettext_for
from solver.i18n.messages import say
from solver.instance import Instance, load_instance
from solver.io.xlsx.read import read_instance_workbook

T = TypeVar("T")

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INVALID = 2
EXIT_BROKEN = 3

app = typer.Typer(
    name="dekkend",
    help="Youth-care procurement: which providers to contract, what each is paid, who pays what.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # docstrings are wrapped at 100 columns; markdown mode reflows their paragraphs to the terminal
    rich_markup_mode="markdown",
)

# Human output goes to stderr so that stdout can carry the result JSON.
console = Console(stderr=True, highlight=False)


def fail_invalid(error: InvalidInput, lang: str | None = None) -> NoReturn:
    """Print every input error with its path (in `lang`, else DEKKEND_LANG's) and exit 2."""
    try:
        said = choose_language(lang)
    except ValueError:  # a bad DEKKEND_LANG is itself reported through here
        said = "en"
    _ = gettext_for(said)
    head = _("invalid {what}: {n} error(s)").format(what=error.what, n=len(error.errors))
    console.print(f"[bold red]{escape(head)}[/]")
    for item in error.errors:
        text = say(item.message, said)
        console.print(f"  {item.path}: {text}" if item.path else f"  {text}", markup=False)
    raise typer.Exit(EXIT_INVALID)


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="nl or en: the language of what a person reads (default: DEKKEND_LANG, else nl). "
        "The JSON is the same in both.",
    ),
]


def language(lang: str | None) -> str:
    """The language to print in (`--lang`, `DEKKEND_LANG`, Dutch); exit 2 for another one."""
    try:
        return choose_language(lang)
    except ValueError as exc:
        fail_invalid(InvalidInput([FieldError("options.lang", str(exc))], "options"))


def write_json(data: Any, out: Path | None) -> None:
    """Write JSON to `out`, or to stdout when no file is given."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")


def load_any_instance(path: Path) -> Instance:
    """An instance from JSON, or from a workbook when the file ends in .xlsx (`InvalidInput`)."""
    if path.suffix.lower() == ".xlsx":
        return read_instance_workbook(path)
    return load_instance(path)


def read_instance(path: Path) -> Instance:
    """`load_any_instance`, exiting 2 with every error when the file is not a valid instance."""
    try:
        return load_any_instance(path)
    except InvalidInput as exc:
        fail_invalid(exc)


@contextmanager
def native_output_to_stderr() -> Iterator[None]:
    """Point file descriptor 1 at stderr while `with`; stdout is the result JSON's alone.

    HiGHS prints a debug line to stdout now and then, whatever its options say
    ("HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();", 3 times in
    Groningen's 4,095 coalition solves); in `dekkend solve x > result.json` it would break the JSON.
    """
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (an embedding host): nothing to protect
        yield
        return
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def guarded(work: Callable[[], T]) -> T:
    """Run `work`; every failure becomes one line and an exit code, never a traceback.

    Bad input exits 2 with every error (an unknown backend names `options.backend`); dekkend's
    own errors and bugs exit 1; `DEKKEND_DEBUG=1` shows the traceback of a bug. What native
    solvers print while `work` runs goes to stderr (`native_output_to_stderr`).
    """
    try:
        with native_output_to_stderr():
            return work()
    except UnknownBackend as exc:
        fail_invalid(InvalidInput([FieldError("options.backend", str(exc))], "options"))
    except InvalidInput as exc:
        fail_invalid(exc)
    except DekkendError as exc:
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_INTERNAL) from None
    except Exception as exc:  # noqa: BLE001 - the CLI boundary: no traceback reaches a user
        if os.environ.get("DEKKEND_DEBUG"):
            raise
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        console.print(f"internal error: {type(exc).__name__}: {exc}", markup=False)
        console.print("set DEKKEND_DEBUG=1 to see the traceback")
        raise typer.Exit(EXIT_INTERNAL) from None


@contextmanager
def progress_bar(total: int, what: str) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr; the callable it yields advances it by one (any arguments)."""
    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(what, total=total)
        yield lambda *_: progress.advance(task)
