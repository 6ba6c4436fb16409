"""Converting an OR-Library file into a SPEC instance, and the known optima (`optima.csv`)."""

from __future__ import annotations

import csv
import functools
import logging
from pathlib import Path
from typing import Any

from solver.errors import FieldError, InvalidInput
from solver.io.orlib.cap import cap_instance, read_cap
from solver.io.orlib.pmed import pmed_instance, read_pmed
from solver.io.orlib.scp import read_scp, scp_instance
from solver.io.orlib.tokens import WHAT

log = logging.getLogger(__name__)

# Converter family -> the `family` column of optima.csv.
FAMILIES = {"orlib-cap": "cap", "orlib-ucap": "uncap", "orlib-pmed": "pmed", "orlib-scp": "scp"}


def default_shared_dir() -> Path:
    """`<repo>/../shared/orlib`: the shared data sits next to the repository checkout."""
    return Path(__file__).resolve().parents[4] / "shared" / "orlib"  # solver/io/orlib/ -> repo/..


def optima_family(family: str) -> str:
    """`orlib-ucap` or `uncap` -> `uncap` (the family column of optima.csv)."""
    if family in FAMILIES:
        return FAMILIES[family]
    if family in FAMILIES.values():
        return family
    choices = ", ".join([*FAMILIES, *FAMILIES.values()])
    raise ValueError(f"unknown OR-Library family {family!r}; one of {choices}")


def known_optimum(family: str, name: str, shared_dir: str | Path | None = None) -> float | None:
    """The optimal (or best-known) value in optima.csv, or None when not listed or not found.

    `family`: `cap`, `uncap`, `pmed`, `scp` or a converter family (`orlib-cap`, ...); `name`: the
    instance name (`cap41`, `capa-8000`, `pmed1`, `scp41`); `shared_dir`: the directory holding
    optima.csv, by default `default_shared_dir()`.
    """
    path = Path(shared_dir or default_shared_dir()) / "optima.csv"
    return _optima(str(path)).get((optima_family(family), name))


def listed_capacities(stem: str, shared_dir: str | Path | None = None) -> list[int]:
    """The capacities with a published optimum for a placeholder file (capa -> 8000, ..., 14000)."""
    path = Path(shared_dir or default_shared_dir()) / "optima.csv"
    found = []
    for family, name in _optima(str(path)):
        head, _, tail = name.partition("-")
        if family == "cap" and head == stem and tail.isdigit():
            found.append(int(tail))
    return sorted(found)


@functools.lru_cache(maxsize=4)
def _optima(path: str) -> dict[tuple[str, str], float]:
    """optima.csv as {(family, instance): value}; empty when the file is absent."""
    try:
        handle = open(path, encoding="utf-8", newline="")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        log.debug("no optima file at %s", path)
        return {}
    except OSError as exc:
        raise InvalidInput([FieldError(path, f"cannot read: {exc}")], "optima file") from None
    values: dict[tuple[str, str], float] = {}
    with handle:
        reader = csv.DictReader(handle)
        for row in reader:
            try:
                values[(row["family"], row["instance"])] = float(row["optimal_value"])
            except (KeyError, TypeError, ValueError):
                raise InvalidInput(
                    [FieldError(f"{path}:{reader.line_num}", "expected family, instance, value")],
                    "optima file",
                ) from None
    return values


def convert(
    family: str,
    path: str | Path,
    *,
    capacity: int | None = None,
    shared_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Read OR-Library file `path` of `family` (`orlib-cap`, ...) into raw SPEC instance data.

    `capacity` fills the `capacity` placeholder of capa/capb/capc (`orlib-cap` only); `shared_dir`
    is only used to name the capacities with a published optimum when none was given.
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown OR-Library family {family!r}; one of {', '.join(FAMILIES)}")
    if capacity is not None and family != "orlib-cap":
        raise InvalidInput(
            [FieldError(str(path), f"a capacity only applies to orlib-cap, not {family}")], WHAT
        )
    if family in ("orlib-cap", "orlib-ucap"):
        capacitated = family == "orlib-cap"
        known = listed_capacities(Path(path).stem, shared_dir) if capacitated else []
        problem = read_cap(path, capacity=capacity, capacitated=capacitated, known_capacities=known)
        return cap_instance(problem, capacitated=capacitated)
    if family == "orlib-pmed":
        return pmed_instance(read_pmed(path))
    return scp_instance(read_scp(path))
