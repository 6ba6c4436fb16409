"""The workbook sheets of a tender over several years (SPEC §8): periods and period_demand.

Optional: a workbook without periods is one year.
"""

from __future__ import annotations

from solver.io.xlsx.columns import ID_RULE as _ID
from solver.io.xlsx.columns import Column, Sheet

_FACTOR = "number > 0 (empty = 1)"

HORIZON_SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "periods",
        "The years of a tender over several years (SPEC §8), in time order; none = one year.",
        (
            Column("id", "id", "Period id, e.g. 2027", allowed=_ID, required=True),
            Column(
                "term",
                "text",
                "Contract term or extension (empty = the previous period's; "
                "the first is 1): contracts may end at a new term, never start",
                allowed="any id",
            ),  # fmt: skip
            Column(
                "weight",
                "number",
                "Weight in the objective (empty = 1 / (1 + discount_rate)^t)",
                allowed="≥ 0",
            ),  # fmt: skip
            Column(
                "demand_factor",
                "number",
                "Demand × this (rounded half up); per care type: sheet period_demand",
                allowed=_FACTOR,
            ),  # fmt: skip
            Column(
                "price_factor",
                "number",
                "Prices, access and contract costs × this",
                allowed=_FACTOR,
            ),  # fmt: skip
            Column(
                "capacity_factor", "number", "Capacities × this (rounded down)", allowed=_FACTOR
            ),  # fmt: skip
            Column(
                "budget_factor",
                "number",
                "Task budgets, budget caps and population rates × this",
                allowed=_FACTOR,
            ),  # fmt: skip
        ),
        required=False,
    ),
    Sheet(
        "period_demand",
        "A period's demand factor for one care type (instead of the period's demand_factor).",
        (
            Column("period", "ref", "Period", ref="periods", required=True),
            Column("care_type", "ref", "Care type", ref="care_types", required=True),
            Column(
                "demand_factor",
                "number",
                "Demand of this care type × this",
                allowed="number > 0",
                required=True,
            ),  # fmt: skip
        ),
        required=False,
    ),
)
