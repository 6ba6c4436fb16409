"""Bad DEKKEND_* settings: one clear line per error and exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from solver.cli import app
from tests.api.api_server import REPO


def _dekkend(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`dekkend ARGS` in a fresh process, as a user runs it (nothing imported beforehand)."""
    return subprocess.run(
        [sys.executable, "-c", "from solver.cli import app; app()", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_with_a_bad_setting_names_it_and_exits_2(tmp_path) -> None:
    done = _dekkend("serve", DEKKEND_WORKERS="abc", DEKKEND_DATABASE=str(tmp_path / "t.db"))
    assert done.returncode == 2, done.stderr
    assert "invalid DEKKEND_* setting: workers: Input should be a valid integer" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "t.db").exists()  # refused before anything was opened


@pytest.mark.parametrize(
    "args", [["token", "create", "--tenant", "acme"], ["token", "list"], ["token", "revoke", "x"]]
)
def test_token_commands_with_a_bad_setting_exit_2(tmp_path, args: list[str]) -> None:
    env = {"DEKKEND_DATABASE": str(tmp_path / "t.db"), "DEKKEND_OPEN_MODE": "maybe"}
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("invalid DEKKEND_* setting: open_mode: ")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_importing_the_app_module_reads_no_settings_but_app_is_still_there(tmp_path) -> None:
    bad = {**os.environ, "DEKKEND_WORKERS": "abc"}
    imported = subprocess.run(
        [sys.executable, "-c", "import api.app"], cwd=REPO, env=bad, capture_output=True
    )
    assert imported.returncode == 0, imported.stderr
    # `uvicorn api.app:app` still finds the app (built from the environment on first access)
    good = {**os.environ, "DEKKEND_DATABASE": str(tmp_path / "t.db")}
    code = "import uvicorn.importer as i; print(type(i.import_from_string('api.app:app')).__name__)"
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=good, capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == FastAPI.__name__
