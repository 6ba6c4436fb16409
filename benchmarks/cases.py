"""The benchmark registry: every case is a seeded, named SPEC instance with its limits.

Three suites: `regions` (the bundled instances, known optima in instances/manifest.json), `ladder`
(seeded `generate_region` regions from a region to the whole country) and `orlib` (every row of
shared/orlib/optima.csv, converted by `solver.io.orlib`). A case only knows how to make its raw
instance; running it is `benchmarks.run`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from solver.generate.region import generate_region
from solver.io.orlib import convert, default_shared_dir

REPO = Path(__file__).resolve().parents[1]
INSTANCES = REPO / "instances"

# optima.csv family -> (converter family, folder under shared/orlib)
_ORLIB = {"cap": ("orlib-cap", "cap"), "uncap": ("orlib-ucap", "cap"),
          "pmed": ("orlib-pmed", "pmed"), "scp": ("orlib-scp", "scp")}  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One benchmark instance: how to make it, what it should reach, how long it may take."""

    suite: str
    name: str
    make: Callable[[], dict[str, Any]]
    known: float | None = None  # known optimal objective (None: unknown)
    time_limit_s: float = 60.0
    gap: float = 1e-6  # the relative gap asked for
    baselines: bool = True  # also run the PuLP/CBC and scipy.milp baselines

    @property
    def key(self) -> str:
        """`suite/name`, unique over the registry."""
        return f"{self.suite}/{self.name}"


def region_cases() -> list[Case]:
    """The bundled regions, at the optima recorded in the manifest."""
    manifest = json.loads((INSTANCES / "manifest.json").read_text(encoding="utf-8"))
    return [
        Case("regions", name, _reader(INSTANCES / f"{name}.json"), known=float(entry["objective"]))
        for name, entry in sorted(manifest.items())
    ]


# (providers, municipalities, time limit s, gap): the targets for each rung
LADDER = [(221, 8, 60.0, 1e-6), (1000, 40, 60.0, 1e-6), (5000, 342, 60.0, 1e-3),
          (20000, 342, 300.0, 1e-3)]  # fmt: skip


def ladder_cases(seed: int = 0) -> list[Case]:
    """The scale ladder from `generate_region`; baselines only where they can finish."""
    return [
        Case(
            "ladder",
            f"{p}x{m}",
            _generator(p, m, seed),
            time_limit_s=limit,
            gap=gap,
            baselines=p <= 1000,
        )
        for p, m, limit, gap in LADDER
    ]


def orlib_cases(shared: Path | None = None) -> list[Case]:
    """Every instance of optima.csv (cap, uncap, pmed, scp); empty when the data is absent."""
    root = shared or default_shared_dir()
    table = root / "optima.csv"
    if not table.is_file():
        return []
    cases = []
    with table.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            family, name = row["family"], row["instance"]
            converter, folder = _ORLIB[family]
            stem, _, capacity = name.partition("-")
            path = root / folder / f"{stem}.txt"
            cases.append(
                Case(
                    f"orlib-{family}",
                    name,
                    _converter(converter, path, int(capacity) if capacity else None),
                    known=float(row["optimal_value"]),
                    # baselines where they finish in minutes: not on the 100 × 1000 cap files,
                    # the large p-median graphs (> 400 vertices) or set-cover sets A–H
                    baselines=_small(family, stem),
                )
            )
    return cases


def all_cases() -> list[Case]:
    """Every case of every suite, in a fixed order."""
    return region_cases() + ladder_cases() + orlib_cases()


def find(key: str) -> Case:
    """The case named `suite/name`."""
    for case in all_cases():
        if case.key == key:
            return case
    raise KeyError(f"no benchmark case {key!r}")


def _small(family: str, stem: str) -> bool:
    """Whether the baselines are run on this OR-Library file."""
    if family in ("cap", "uncap"):
        return stem not in ("capa", "capb", "capc")
    if family == "pmed":
        return int(stem.removeprefix("pmed")) <= 20
    return stem.startswith(("scp4", "scp5", "scp6"))


def _reader(path: Path) -> Callable[[], dict[str, Any]]:
    return lambda: json.loads(path.read_text(encoding="utf-8"))


def _generator(providers: int, municipalities: int, seed: int) -> Callable[[], dict[str, Any]]:
    return lambda: generate_region(providers=providers, municipalities=municipalities, seed=seed)


def _converter(family: str, path: Path, capacity: int | None) -> Callable[[], dict[str, Any]]:
    return lambda: convert(family, path, capacity=capacity)
