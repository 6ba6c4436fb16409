"""Killing a worker ends the solver processes it started (they share its process group)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from api.jobs.handle import signal_worker

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")


def _running(pid: int) -> bool:
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return state.stdout.strip() not in ("", "Z")


def test_a_kill_reaches_the_workers_children() -> None:
    # a stand-in worker leading its own group, with a long-running child like CBC
    worker = subprocess.Popen(
        ["sh", "-c", "sleep 60 & echo $!; wait"], stdout=subprocess.PIPE, start_new_session=True
    )
    assert worker.stdout is not None
    child = int(worker.stdout.readline())
    signal_worker(worker.pid, signal.SIGKILL)
    worker.wait(timeout=5)
    deadline = time.monotonic() + 5
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def test_a_kill_of_a_worker_that_leads_no_group_still_kills_it() -> None:
    worker = subprocess.Popen(["sleep", "60"])  # in our own group, not its own
    signal_worker(worker.pid, signal.SIGKILL)
    assert worker.wait(timeout=5) == -signal.SIGKILL


def test_signalling_a_worker_that_is_gone_is_quiet() -> None:
    worker = subprocess.Popen(["true"], start_new_session=True)
    worker.wait()
    signal_worker(worker.pid, signal.SIGKILL)
    signal_worker(worker.pid, signal.SIGTERM)
