"""The procurement workbook's layout: one declarative table of sheets and columns.

Template, import and export all read this table, so a column's name, meaning, unit and allowed
values are written down once. Sheet and column names are the SPEC §1 field names; lists nested
in the JSON (a provider's offers, access costs and incumbent clients) get a sheet of their own
keyed by provider, and the policy is one row per setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.io.xlsx.cells import ALL_MARK, NONE_MARK
from solver.io.xlsx.columns import ID_RULE as _ID
from solver.io.xlsx.columns import Column, Kind, Sheet
from solver.io.xlsx.horizon_sheets import HORIZON_SHEETS

# Column, Kind and Sheet are this layout's vocabulary: importers take them from here too
__all__ = ["ALL_SHEETS", "POLICY", "SETTINGS", "SHEETS", "Column", "Kind", "Setting", "Sheet"]

FUNDING = ("fee_for_service", "lump_sum", "task_based", "population_based")
SPLIT_RULES = ("usage", "population", "mixed", "key", "shapley", "nucleolus")
LOT_SPLIT_RULES = ("usage", "population", "mixed", "key")


_EUR = "euros per year"
_CLIENTS = "clients per year"
_WHOLE = "whole number ≥ 0"

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "municipalities",
        "The gemeenten of the region.",
        (
            Column("id", "id", "Municipality id", allowed=_ID, required=True),
            Column("name", "text", "Display name", allowed="any text"),
            Column(
                "youth_population",
                "count",
                "Inhabitants aged 0-17",
                unit="persons",
                allowed=_WHOLE,
                required=True,
            ),
        ),
    ),
    Sheet(
        "lots",
        "The lots (percelen) of the tender and their funding model.",
        (
            Column("id", "id", "Lot id", allowed=_ID, required=True),
            Column("name", "text", "Display name", allowed="any text"),
            Column("funding", "choice", "Funding model", choices=FUNDING, required=True),
            Column(
                "task_budget",
                "money",
                "Yearly regional budget (task_based lots only, required there)",
                unit=_EUR,
                allowed="≥ 0",
            ),
            Column(
                "population_rate",
                "money",
                "Euros per youth inhabitant (population_based lots only, required there)",
                unit="euros per inhabitant 0-17 per year",
                allowed="≥ 0",
            ),
            Column("budget_cap", "money", "Ceiling on the lot's total payout", _EUR, "≥ 0"),
            Column(
                "min_providers",
                "count",
                "Coverage level k: contracted units that must be able to serve each "
                "municipality and care type with demand (empty = 1)",
                unit="units",
                allowed="whole number ≥ 1",
            ),
            Column("max_contracts", "count", "At most this many units contracted", "units", _WHOLE),
            Column(
                "max_units_per_municipality",
                "count",
                "At most this many units with clients of the lot in one municipality",
                unit="units",
                allowed="whole number ≥ 1",
            ),
            Column(
                "max_share",
                "number",
                "No unit gets more than this fraction of the lot's clients",
                unit="fraction (0.6 or 60%)",
                allowed="> 0 and ≤ 1",
            ),
            Column(
                "risk_margin",
                "number",
                "Lump sum = care cost × (1 + margin) (lump_sum lots only; empty = 0)",
                unit="fraction (0.03 or 3%)",
                allowed="≥ 0",
            ),
            Column(
                "open_house",
                "flag",
                "Open House: every bidder is contracted, no volume guaranteed, no max_contracts "
                "(empty = no)",
                allowed="yes or no",
            ),
        ),
    ),
    Sheet(
        "care_types",
        "The care types (zorgvormen); each belongs to one lot.",
        (
            Column("id", "id", "Care type id", allowed=_ID, required=True),
            Column("name", "text", "Display name", allowed="any text"),
            Column("lot", "ref", "The lot this care type belongs to", ref="lots", required=True),
        ),
    ),
    Sheet(
        "demand",
        "Expected clients per municipality and care type; a missing pair means 0.",
        (
            Column("municipality", "ref", "Municipality", ref="municipalities", required=True),
            Column("care_type", "ref", "Care type", ref="care_types", required=True),
            Column("clients", "count", "Expected clients", _CLIENTS, _WHOLE, required=True),
        ),
    ),
    Sheet(
        "providers",
        "The bidders (aanbieders).",
        (
            Column("id", "id", "Provider id", allowed=_ID, required=True),
            Column("name", "text", "Display name", allowed="any text"),
            Column(
                "contract_cost",
                "money",
                "The region's yearly cost of holding a contract with this provider",
                unit=_EUR,
                allowed="≥ 0",
                required=True,
            ),
            Column(
                "municipalities",
                "refs",
                "Municipalities it can serve",
                allowed=f"municipality ids separated by commas; empty or {ALL_MARK} = all; "
                f"{NONE_MARK} = none",
            ),
        ),
    ),
    Sheet(
        "offers",
        "Each provider's bid per care type (at most one per care type).",
        (
            Column("provider", "ref", "Provider", ref="providers", required=True),
            Column("care_type", "ref", "Care type offered", ref="care_types", required=True),
            Column("capacity", "count", "Most clients it can take", _CLIENTS, _WHOLE, True),
            Column("price", "money", "Price per client", "euros per client per year", "≥ 0", True),
            Column(
                "min_clients",
                "count",
                "If contracted for this care type, at least this many clients (empty = 0)",
                unit=_CLIENTS,
                allowed=_WHOLE,
            ),
            Column(
                "quality",
                "number",
                "Quality score (empty = 0.5)",
                unit="score",
                allowed="0 to 1 (or 0% to 100%)",
            ),
        ),
    ),
    Sheet(
        "access_cost",
        "Extra cost per client of a provider serving a municipality (travel, presence).",
        (
            Column("provider", "ref", "Provider", ref="providers", required=True),
            Column("municipality", "ref", "Municipality", ref="municipalities", required=True),
            Column("access_cost", "money", "Extra cost", "euros per client", "≥ 0", True),
        ),
        required=False,
    ),
    Sheet(
        "incumbents",
        "Clients in care with a provider today (continuity of care).",
        (
            Column("provider", "ref", "Provider", ref="providers", required=True),
            Column("municipality", "ref", "Municipality", ref="municipalities", required=True),
            Column("care_type", "ref", "Care type", ref="care_types", required=True),
            Column("clients", "count", "Clients in care today", "clients", _WHOLE, True),
        ),
        required=False,
    ),
    Sheet(
        "consortia",
        "Joint bids of two or more providers that contract as one party.",
        (
            Column("id", "id", "Consortium id (not a provider id)", allowed=_ID, required=True),
            Column("name", "text", "Display name", allowed="any text"),
            Column(
                "lead", "ref", "Lead provider (one of the members)", ref="providers", required=True
            ),
            Column(
                "members",
                "refs",
                "Member providers",
                allowed="at least 2 provider ids separated by commas",
                required=True,
            ),
            Column("contract_cost", "money", "Yearly cost of this contract", _EUR, "≥ 0", True),
        ),
        required=False,
    ),
)


@dataclass(frozen=True, slots=True)
class Setting:
    """One row kind of the policy sheet; `scope` says which of lot/municipality it needs."""

    name: str
    kind: Kind
    meaning: str
    allowed: str
    scope: tuple[str, ...] = ()  # e.g. ("lot",): the lot cell is allowed (and optional)
    needs: tuple[str, ...] = ()  # the cells that must be filled
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("name", "text", "Short name of the instance", "any text (required)"),
    Setting("schema_version", "int", "Instance format version (empty = 1)", "1"),
    Setting("max_contracts", "count", "At most this many contracted units in total", _WHOLE),
    Setting("transfer_cost", "money", "Cost per incumbent client who must move (euros)", "≥ 0"),
    Setting("max_moved", "count", "At most this many incumbent clients change provider", _WHOLE),
    Setting(
        "n_minus_1",
        "flag",
        "The landscape survives the loss of any one contracted unit (empty = no)",
        "yes or no",
    ),
    Setting(
        "quality_weight", "money", "Objective bonus per client per quality point (euros)", "≥ 0"
    ),
    Setting(
        "split_rule",
        "choice",
        "How the regional cost is split (empty = mixed); with a lot: that lot's own rule",
        ", ".join(SPLIT_RULES) + " (per lot: no shapley or nucleolus)",
        scope=("lot",),
        choices=SPLIT_RULES,
    ),
    Setting(
        "usage_weight",
        "number",
        "Weight of usage in the mixed rule (empty = 0.5); with a lot: for that lot",
        "0 to 1",
        scope=("lot",),
    ),
    Setting(
        "split_weight",
        "money",
        "Key of the key rule for one municipality; with a lot: that lot's key",
        "number ≥ 0; one row per municipality",
        scope=("lot", "municipality"),
        needs=("municipality",),
    ),
    Setting(
        "game_capacity",
        "choice",
        "Capacity in the alone-or-together game (empty = proportional): each coalition its share "
        "of every offer, or every offer whole",
        "proportional, full",
        choices=("proportional", "full"),
    ),
    Setting("samples", "count", "Random permutations for a Shapley estimate (> 12 munic.)", "≥ 1"),
    Setting(
        "discount_rate",
        "number",
        "Yearly discount of later periods (sheet periods; empty = 0)",
        "0 to 1",
    ),
    Setting("seed", "int", "Seed of the Shapley estimate", "whole number ≥ 0"),
)
SETTING_BY_NAME = {s.name: s for s in SETTINGS}

POLICY = Sheet(
    "policy",
    "The region's choices, one setting per row; the instance name is the setting 'name'.",
    (
        Column(
            "setting",
            "choice",
            "Which setting this row gives",
            choices=tuple(SETTING_BY_NAME),
            allowed="; ".join(f"{s.name} = {s.meaning}" for s in SETTINGS),
            required=True,
        ),
        Column(
            "lot",
            "ref",
            "Lot the setting is for (split_rule, usage_weight, split_weight)",
            ref="lots",
        ),
        Column("municipality", "ref", "Municipality (split_weight only)", ref="municipalities"),
        Column(
            "value",
            "any",
            "The setting's value",
            allowed="depends on the setting (see the note column)",
        ),
        Column("note", "text", "What the setting means", informational=True),
    ),
)

ALL_SHEETS: tuple[Sheet, ...] = (*SHEETS, *HORIZON_SHEETS, POLICY)
SHEET_BY_NAME = {s.name: s for s in ALL_SHEETS}
# The id column of every sheet that other sheets refer to (for drop-downs and lookups).
ID_SHEETS = ("municipalities", "lots", "care_types", "providers", "periods")
IGNORED_SHEET_PREFIX = "_"  # sheets like "_notes" are for people and skipped on import
