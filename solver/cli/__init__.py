"""The `dekkend` command line: one module per group of commands, all on one Typer app."""

from solver.cli.app import app

# Each import registers its commands on `app`.
from solver.cli import core_commands  # noqa: E402, F401
from solver.cli import convert_command  # noqa: E402, F401
from solver.cli import check_command  # noqa: E402, F401
from solver.cli import experiment_commands  # noqa: E402, F401
from solver.cli import report_command  # noqa: E402, F401
from solver.cli import spreadsheet_commands  # noqa: E402, F401
from solver.cli import generate_command  # noqa: E402, F401
from solver.cli import split_command  # noqa: E402, F401
from solver.cli import serve_command  # noqa: E402, F401

__all__ = ["app"]
