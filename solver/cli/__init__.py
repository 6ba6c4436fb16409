"""The `dekkend` command line: one module per group of commands, all on one Typer app.

Other packages add commands through the entry-point group `dekkend.cli`: each entry is a
function that takes the app (the HTTP service adds `serve` and `token`, `api.cli.register`).
"""

from importlib.metadata import entry_points

# Each module registers its commands on `app` when imported; `--help` lists them in this order,
# so the everyday commands come first (hence the deliberately unsorted imports).
from solver.cli import core_commands  # noqa: F401  solve, validate
from solver.cli import check_command  # noqa: F401  check
from solver.cli import split_command  # noqa: F401  split
from solver.cli import experiment_commands  # noqa: F401  sweep, min-contracts, min-moved, rules, compare
from solver.cli import plan_commands  # noqa: F401  baseline, stress, robustness
from solver.cli import report_command  # noqa: F401  report
from solver.cli import spreadsheet_commands  # noqa: F401  template, import, export
from solver.cli import generate_command  # noqa: F401  generate
from solver.cli import convert_command  # noqa: F401  convert
from solver.cli.app import app

for _plugin in entry_points(group="dekkend.cli"):
    _plugin.load()(app)  # serve, token

__all__ = ["app"]
