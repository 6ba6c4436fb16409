"""The lots of a generated region: their defaults, funding overrides, limits and budgets.

Used by `region.generate_region`; every limit is checked against the backbone's witness solution,
so that a generated region stays feasible by construction.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from solver.generate.catalogue import CareSpec
from solver.generate.providers import Backbone, ProviderTable

FUNDINGS = ("fee_for_service", "lump_sum", "task_based", "population_based")

LOT_DEFAULTS: dict[str, dict[str, Any]] = {
    "ambulant": {
        "name": "Ambulante jeugdhulp",
        "funding": "lump_sum",
        "min_providers": 2,
        "risk_margin": 0.03,
    },
    "specialistisch": {
        "name": "Specialistische jeugdhulp",
        "funding": "fee_for_service",
        "max_share": 0.6,
    },
    "verblijf": {"name": "Verblijf en crisis", "funding": "lump_sum"},
    "populatie": {
        "name": "Gebiedsteams (populatiebekostiging)",
        "funding": "population_based",
        "population_rate": 200.0,
        "max_units_per_municipality": 1,
    },
}


def make_lots(
    specs: list[CareSpec], funding: dict[str, str], names: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """The lots in use, with overrides applied and fields of other funding models removed."""
    used = list(dict.fromkeys(s.lot for s in specs))
    for key in (*funding, *names):
        if key not in used:
            raise ValueError(f"unknown lot {key!r}; the lots are {used}")
    lots = {}
    for lot_id in used:
        fields = dict(LOT_DEFAULTS[lot_id])
        model = funding.get(lot_id, fields["funding"])
        if model not in FUNDINGS:
            raise ValueError(f"funding of lot {lot_id!r} must be one of {FUNDINGS}, not {model!r}")
        fields["funding"] = model
        fields["name"] = names.get(lot_id, fields["name"])
        if model != "lump_sum":
            fields.pop("risk_margin", None)
        if model == "population_based":
            fields.setdefault("population_rate", 200.0)
            fields.setdefault("max_units_per_municipality", 1)
        else:
            fields.pop("population_rate", None)
        lots[lot_id] = fields
    return lots


def max_contracts_limit(providers: int, given: int | None, share: float, backbone: Backbone) -> int:
    """policy.max_contracts: `given`, or `share` of the providers; never below the witness's."""
    if given is None:
        return max(math.ceil(share * providers), backbone.count)
    if given < backbone.count:
        raise ValueError(
            f"max_contracts {given} is below the {backbone.count} contracts of the witness "
            "solution that makes the instance feasible by construction"
        )
    return given


def set_open_house(
    lots: dict[str, dict[str, Any]],
    open_lots: list[str],
    table: ProviderTable,
    specs: list[CareSpec],
    backbone: Backbone,
    limit: int,
) -> None:
    """Mark Open House lots; refuse a max_contracts that cannot hold all their bidders."""
    for lot_id in open_lots:
        if lot_id not in lots:
            raise ValueError(f"open_house names unknown lot {lot_id!r}")
        if "max_contracts" in lots[lot_id]:
            raise ValueError(f"lot {lot_id!r} is an Open House: it cannot have max_contracts")
        lots[lot_id]["open_house"] = True
    care = [i for i, s in enumerate(specs) if s.lot in open_lots]
    bidders = len(np.unique(table.off_p[np.isin(table.off_c, care)]))
    if open_lots and limit < bidders + backbone.count:
        raise ValueError(
            f"max_contracts {limit} cannot hold the {bidders} Open House bidders and the "
            f"{backbone.count} contracts of the witness solution"
        )


def set_lot_limits(
    lots: dict[str, dict[str, Any]], limits: dict[str, int], backbone: Backbone
) -> None:
    """Each lot's max_contracts from `limits`, never below what the witness needs there."""
    for lot_id, limit in limits.items():
        if lot_id not in lots:
            raise ValueError(f"lot_max_contracts names unknown lot {lot_id!r}")
        need = backbone.units_per_lot.get(lot_id, 0)
        if limit < need:
            raise ValueError(f"lot_max_contracts[{lot_id!r}] = {limit} is below the {need} needed")
        lots[lot_id]["max_contracts"] = int(limit)


def set_budgets(
    lots: dict[str, dict[str, Any]],
    backbone: Backbone,
    table: Any,
    youth: np.ndarray,
    lot_of: list[int],
    cap_slack: float | None,
) -> None:
    """Task budgets, population rates and budget caps that the witness solution respects."""
    cost = backbone.witness_cost(table, len(youth), len(lots), lot_of)  # (municipality, lot)
    for index, (lot_id, fields) in enumerate(lots.items()):
        care = float(cost[:, index].sum())
        payout = care
        if fields["funding"] == "task_based":
            fields["task_budget"] = _round_up(care * 1.1, 10_000)
            payout = fields["task_budget"]
        elif fields["funding"] == "population_based":
            per_youth = cost[:, index] / np.maximum(youth, 1)
            fields["population_rate"] = max(
                fields["population_rate"], _round_up(float(per_youth.max()) * 1.1, 10)
            )
            payout = fields["population_rate"] * float(youth.sum())
        elif fields["funding"] == "lump_sum":
            payout = care * (1 + fields.get("risk_margin", 0.0))
        backbone.check_shares(lot_id, fields.get("max_share"))
        if cap_slack is not None:
            if cap_slack < 1:
                raise ValueError(f"budget_cap_slack must be ≥ 1, not {cap_slack}")
            fields["budget_cap"] = _round_up(payout * cap_slack, 10_000)


def _round_up(value: float, step: int) -> float:
    return float(max(step, math.ceil(value / step) * step))
