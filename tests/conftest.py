"""Shared fixtures: where ../shared lives, and the backends every solver test runs on."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BACKENDS = ["highs", "cpsat", "pulp"]


def shared_dir(*parts: str) -> Path:
    """A folder under ../shared, or skip the test with a clear message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: clone the repo next to shared/ to run this test")
    return path


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep `dekkend split`'s coalition cache out of the home folder, fresh for every test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English unless they ask for Dutch (`--lang nl`, `lang="nl"`): Dutch is the
    product's default, and tests/i18n checks it."""
    monkeypatch.setenv("DEKKEND_LANG", "en")
