"""A real dekkend server on 127.0.0.1 in a subprocess, with its own temporary database."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from api.auth import create_token
from api.jobs.store import JobStore
from solver.generate.region import generate_region

REPO = Path(__file__).resolve().parents[2]
INSTANCES = REPO / "instances"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def instance(name: str) -> dict[str, Any]:
    """A bundled instance as JSON data."""
    return json.loads((INSTANCES / f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def _slow_region() -> str:
    return json.dumps(generate_region(providers=800, municipalities=16, seed=0))


def slow_region() -> dict[str, Any]:
    """A generated 800 x 16 region whose solve takes several seconds (~7 s here).

    For tests that must catch a job while it runs: the bundled regions solve in under a second.
    """
    return json.loads(_slow_region())


class Server:
    """`dekkend serve` as a subprocess; start, stop, SIGKILL, restart on the same database."""

    def __init__(self, folder: Path, **settings: Any) -> None:
        self.folder = folder
        self.db = folder / "dekkend.db"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DEKKEND_DATABASE": str(self.db)}
        for key, value in settings.items():
            self.env[f"DEKKEND_{key.upper()}"] = str(value)
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, timeout_s: float = 30.0) -> Server:
        """Start and wait until /v1/health answers."""
        self.starts += 1
        log = (self.folder / f"server-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from solver.cli import app; app()",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: teardown can end all of it
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/v1/health", timeout=1.0).status_code == 200:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the server process only (as a crash would); its workers must die with it."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop gracefully, then make sure nothing of its process group is left."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def log(self) -> str:
        """Everything the server printed in its latest run."""
        path = self.folder / f"server-{self.starts}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def store(self) -> JobStore:
        """The server's database, read directly (as an operator would)."""
        return JobStore(self.db)

    def token(self, tenant: str) -> str:
        """A new API token for `tenant`."""
        return create_token(self.store(), tenant)

    def client(self, token: str | None = None, timeout: float = 60.0) -> httpx.Client:
        """An HTTP client for this server, authenticated when `token` is given."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)


def wait_for(client: httpx.Client, job_id: str, states: tuple[str, ...], timeout_s: float = 60.0):
    """Poll a job until its state is one of `states`; return its view."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["state"] in states:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} not in {states} after {timeout_s} s: {job}")
