"""The Typer app `dekkend` and what every command shares: exit codes and error printing.

Exit codes (SPEC §7): 0 solved or proved infeasible / check passed, 1 internal error,
2 invalid input, 3 the checked result breaks rules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

from solver.errors import InvalidInput

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
)

# Human output goes to stderr so that stdout can carry the result JSON.
console = Console(stderr=True, highlight=False)


def fail_invalid(error: InvalidInput) -> NoReturn:
    """Print every input error with its path and exit 2."""
    console.print(f"[bold red]invalid {error.what}[/]: {len(error.errors)} error(s)")
    for item in error.errors:
        console.print(f"  {item}", markup=False)
    raise typer.Exit(EXIT_INVALID)


def write_json(data: Any, out: Path | None) -> None:
    """Write JSON to `out`, or to stdout when no file is given."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
