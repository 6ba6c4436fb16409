"""Who changes provider: a result's `moved[]` gathered per municipality and per provider.

For the summary and the report: with the instance, each row also says how many clients the
municipality (or provider) has in care today, so "120 of 1,650" reads as a share.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from solver.instance import Instance, municipality_names, unit_names
from solver.result import Result


@dataclass(frozen=True, slots=True)
class MovedRow:
    """Moved incumbent clients of one municipality or provider, and its incumbents today."""

    id: str
    name: str
    moved: int
    incumbents: int


def _rows(moved: dict[str, int], today: dict[str, int], names: dict[str, str]) -> list[MovedRow]:
    ids = sorted(today.keys() | moved.keys(), key=lambda k: (-moved.get(k, 0), names.get(k, k)))
    return [
        MovedRow(k, names.get(k, k), moved.get(k, 0), today.get(k, 0))
        for k in ids
        if today.get(k, 0) or moved.get(k, 0)
    ]


def moved_per_municipality(instance: Instance, result: Result) -> list[MovedRow]:
    """Every municipality with incumbents, most moved first."""
    today: dict[str, int] = defaultdict(int)
    for p in instance.providers:
        for inc in p.incumbent:
            today[inc.municipality] += inc.clients
    moved: dict[str, int] = defaultdict(int)
    for r in result.moved:
        moved[r.municipality] += r.clients
    return _rows(moved, today, municipality_names(instance))


def moved_per_provider(instance: Instance, result: Result) -> list[MovedRow]:
    """Every provider with incumbents, most moved first."""
    today = {p.id: sum(i.clients for i in p.incumbent) for p in instance.providers if p.incumbent}
    moved: dict[str, int] = defaultdict(int)
    for r in result.moved:
        moved[r.provider] += r.clients
    return _rows(moved, today, unit_names(instance))
