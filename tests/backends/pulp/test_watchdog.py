"""The wall-clock guard around command-line solvers (CBC can overrun its time limit)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pulp
import pytest

from solver.backends.pulp import backend as pulp_backend
from solver.backends.pulp import watchdog
from solver.backends.pulp.watchdog import run_guarded
from solver.instance import load_instance
from solver.options import SolveOptions
from solver.result import Status
from solver.solve import solve
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the guard reads /proc (Linux only)"
)


def _script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def _alive(path: Path) -> bool:
    """Some process still runs with `path` on its command line."""
    return str(path) in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout


def test_a_solver_that_ignores_the_interrupt_is_killed_with_its_children(tmp_path: Path) -> None:
    stubborn = _script(tmp_path, "stubborn-solver", "trap '' INT\nsleep 60 &\nwait\n")
    started = time.monotonic()
    guarded = run_guarded(
        lambda: subprocess.run([str(stubborn)], check=False).returncode,
        time_limit_s=0.2,
        solver_path=str(stubborn),
        grace_s=0.3,
        interrupt_wait_s=0.5,
    )
    assert time.monotonic() - started < 5
    assert guarded.stopped is not None and "was killed" in guarded.stopped
    assert "stubborn-solver" in guarded.stopped and "0.2 s" in guarded.stopped
    time.sleep(0.2)
    assert not _alive(stubborn)


def test_a_solver_that_honours_the_interrupt_keeps_its_answer(tmp_path: Path) -> None:
    # `wait` returns at once on a trapped signal (a foreground `sleep` would defer the trap)
    polite = _script(
        tmp_path, "polite-solver", "trap 'exit 0' INT\nwhile :; do sleep 0.05 & wait $!; done\n"
    )

    def default_sigint() -> None:
        # a shell that starts with SIGINT ignored cannot trap it (POSIX), and a test run started
        # in the background by a non-interactive shell passes SIGINT ignored to every child
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    guarded = run_guarded(
        lambda: subprocess.run([str(polite)], check=False, preexec_fn=default_sigint).returncode,
        time_limit_s=0.2,
        solver_path=str(polite),
        grace_s=0.3,
        interrupt_wait_s=5.0,
    )
    assert guarded.value == 0
    assert guarded.stopped is not None and "was interrupted" in guarded.stopped


def test_a_solve_within_its_limit_is_left_alone() -> None:
    guarded = run_guarded(lambda: 42, time_limit_s=5, solver_path="/no/such/solver")
    assert guarded.value == 42 and guarded.stopped is None


def test_the_callers_own_error_comes_through() -> None:
    def broken() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_guarded(broken, time_limit_s=5, solver_path="/no/such/solver")


def test_pulp_backend_returns_no_solution_when_its_solver_overruns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck = _script(tmp_path, "stuck-cbc", "trap '' INT\nsleep 60 &\nwait\n")
    fake = pulp.COIN_CMD(path=str(stuck), msg=False, timeLimit=1)
    monkeypatch.setattr(pulp_backend, "_solver", lambda options: (fake, "FAKE_CBC"))
    monkeypatch.setattr(watchdog, "GRACE_MIN_S", 0.3)
    monkeypatch.setattr(watchdog, "INTERRUPT_WAIT_S", 0.3)
    instance = load_instance(REPO / "instances" / "tiny.json")
    started = time.monotonic()
    result = solve(instance, options=SolveOptions(backend="pulp", time_limit_s=0.5))
    assert time.monotonic() - started < 10
    assert result.status == Status.NO_SOLUTION
    assert any("stuck-cbc ran past its time limit" in note for note in result.notes)
