"""The `dekkend` command line: one module per group of commands, all on one Typer app."""

# Each module registers its commands on `app` when it is imported.
from solver.cli import (  # noqa: F401
    check_command,
    convert_command,
    core_commands,
    experiment_commands,
    generate_command,
    report_command,
    serve_command,
    split_command,
    spreadsheet_commands,
)
from solver.cli.app import app

__all__ = ["app"]
