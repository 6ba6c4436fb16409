"""What a person reads for an id: the display name of a unit, municipality or lot (else its id)."""

from __future__ import annotations

from solver.instance.schema import Instance


def unit_names(instance: Instance) -> dict[str, str]:
    """Provider and consortium id -> name (the id where the instance gives none)."""
    names = {p.id: p.name or p.id for p in instance.providers}
    return names | {k.id: k.name or k.id for k in instance.consortia}


def municipality_names(instance: Instance) -> dict[str, str]:
    """Municipality id -> name."""
    return {m.id: m.name or m.id for m in instance.municipalities}


def place_names(instance: Instance) -> dict[str, str]:
    """Lot and municipality id -> name (a concentration flag names either)."""
    return {lot.id: lot.name or lot.id for lot in instance.lots} | municipality_names(instance)
