"""Proven coalition values kept between runs: one SQLite file (stdlib `sqlite3`).

The exact Shapley split of Groningen solves 4,095 coalitions (about ten minutes), and the
stand-alone costs and core check of any other rule solve the same ones again. A region tries
several rules, and a run can stop at its time limit; without a cache each attempt starts over.

Only proven values are kept (`optimal`, `infeasible`): they are facts about the instance, not
about how long a run was given. A value is keyed by

- the instance without `policy.cost_split` (c(S) does not depend on the split rule, SPEC §5),
  but with the game's `capacity` (proportional or full: two games);
- the thread count and seed of the coalition solves, so a cached value is the very number a new
  solve would give (the same split to the cent, as between engines);
- a digest of the `solver` package's source and the HiGHS version, so a changed model, game or
  solver never reads an old value.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from importlib import metadata
from pathlib import Path

from solver.instance import Instance, dump_instance
from solver.split.game.coalitions import GAME_GAP, CoalitionValue

log = logging.getLogger(__name__)

PROVEN = ("optimal", "infeasible")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS coalition (
    game TEXT NOT NULL,
    mask INTEGER NOT NULL,
    status TEXT NOT NULL,
    cost REAL,
    reason TEXT,
    PRIMARY KEY (game, mask)
)
"""


def default_path() -> Path:
    """`$XDG_CACHE_HOME/dekkend/coalitions.sqlite` (default `~/.cache/dekkend/...`)."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "dekkend" / "coalitions.sqlite"


@functools.cache
def code_digest() -> str:
    """Digest of the solver's own source files and the HiGHS version (cached per process)."""
    digest = hashlib.sha256(metadata.version("highspy").encode())
    package = Path(__file__).resolve().parents[2]  # solver/, from solver/split/game/
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def game_key(instance: Instance, *, threads: int, seed: int) -> str:
    """The key of one instance's coalition game as solved with `threads` and `seed`."""
    raw = dump_instance(instance)
    raw.get("policy", {}).pop("cost_split", None)
    game = {
        "instance": raw,
        # the split rule does not change c(S), the game's capacity does (SPEC §5)
        "capacity": instance.policy.cost_split.capacity,
        "threads": threads,
        "seed": seed,
        "gap": GAME_GAP,
        "code": code_digest(),
    }
    text = json.dumps(game, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class CoalitionCache:
    """Proven c(S) by game key and mask; `hits` counts the values read since creation.

    A cache that cannot be used (a folder without write access, a file that is not SQLite) is
    no reason to fail a split: it is switched off, `problem` says why, and every coalition is
    solved.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.hits = 0
        self.problem: str | None = None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30.0)) as db:
            db.execute(_SCHEMA)
            with db:  # one transaction: committed on success, rolled back on error
                yield db

    def _off(self, error: Exception) -> None:
        self.problem = f"{self.path}: {error}"
        log.warning("coalition cache off: %s", self.problem)

    def _rows(self, key: str) -> list[tuple[int, str, float | None, str | None]]:
        """Every kept (mask, status, cost, reason) of one game; none once switched off."""
        if self.problem is not None:
            return []
        try:
            with self._connect() as db:
                return db.execute(
                    "SELECT mask, status, cost, reason FROM coalition WHERE game = ?", (key,)
                ).fetchall()
        except (OSError, sqlite3.Error) as error:
            self._off(error)
            return []

    def load(self, key: str, masks: Sequence[int]) -> dict[int, CoalitionValue]:
        """The cached values among `masks`."""
        wanted = set(masks)
        found = {
            mask: CoalitionValue(mask, status, cost, reason=reason)
            for mask, status, cost, reason in self._rows(key)
            if mask in wanted
        }
        self.hits += len(found)
        return found

    def kept(self, key: str, masks: Sequence[int]) -> set[int]:
        """The masks among `masks` with a kept value (not counted as hits: nothing is read)."""
        wanted = set(masks)
        return {row[0] for row in self._rows(key) if row[0] in wanted}

    def store(self, key: str, values: Iterable[CoalitionValue]) -> None:
        """Keep the proven ones of `values` (a mask already kept is replaced)."""
        rows = [(key, v.mask, v.status, v.cost, v.reason) for v in values if v.status in PROVEN]
        if not rows or self.problem is not None:
            return
        try:
            with self._connect() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO coalition (game, mask, status, cost, reason) "
                    "VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
        except (OSError, sqlite3.Error) as error:
            self._off(error)
