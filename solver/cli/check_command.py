"""`dekkend check INSTANCE.json RESULT.json`: the independent checker of SPEC §2–§5 (SPEC §7)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from solver.check import check
from solver.cli.app import (
    EXIT_BROKEN,
    EXIT_INTERNAL,
    LangOption,
    app,
    console,
    fail_invalid,
    language,
)
from solver.errors import InvalidInput
from solver.i18n import cents, gettext_for
from solver.i18n.words import STATUS, word
from solver.instance import Instance, parse_instance, read_json
from solver.result import Result, parse_result


@app.command("check")
def check_command(
    instance_path: Annotated[Path, typer.Argument(metavar="INSTANCE.json", help="The instance.")],
    result_path: Annotated[
        Path, typer.Argument(metavar="RESULT.json", help="A result of that instance.")
    ],
    lang: LangOption = None,
) -> None:
    """Check a result against its instance: exit 0 when it holds, 3 when it breaks rules.

    The violations are the checker's own words (English), for whoever debugs the plan.
    """
    said = language(lang)
    _ = gettext_for(said)
    instance: Instance | None = None
    result: Result | None = None
    problems: list[InvalidInput] = []
    try:
        instance = parse_instance(read_json(instance_path))
    except InvalidInput as exc:
        problems.append(exc)
    try:
        result = parse_result(read_json(result_path, what="result"))
    except InvalidInput as exc:
        problems.append(exc)
    if problems:
        # Show what is wrong with both files before exiting 2.
        for problem in problems[:-1]:
            with contextlib.suppress(typer.Exit):
                fail_invalid(problem, said)
        fail_invalid(problems[-1], said)
    assert instance is not None and result is not None
    if result.instance is not None and result.instance != instance.name:
        # said first: otherwise a result of another region reads as hundreds of broken rules
        console.print(
            "[bold red]"
            + escape(
                _("the result is for instance {theirs}, not {ours}").format(
                    theirs=repr(result.instance), ours=repr(instance.name)
                )
            )
            + "[/]",
            soft_wrap=True,
        )

    try:
        report = check(instance, result)
    except Exception as exc:  # a checker bug: say so plainly, never a traceback
        console.print("[bold red]internal error[/] in the checker: " + escape(repr(exc)))
        raise typer.Exit(EXIT_INTERNAL) from None

    if not report.ok:
        count = len(report.violations)
        console.print(
            "[bold red]"
            + escape(_("result breaks the rules: {n} violation(s)").format(n=count))
            + "[/]"
        )
        for violation in report.violations:
            console.print(f"  {violation}", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_BROKEN)
    if report.objective is None:
        console.print(
            _("result holds: status {status}, no plan").format(
                status=word(STATUS, result.status.value, said)
            ),
            markup=False,
            soft_wrap=True,
        )
    else:
        console.print(
            _(
                "result holds: status {status}, objective {objective}, regional cost {regional}"
            ).format(
                status=word(STATUS, result.status.value, said),
                objective=cents(report.objective, said),
                regional="—" if report.regional_cost is None else cents(report.regional_cost, said),
            ),
            markup=False,
            soft_wrap=True,
        )
