"""SPEC §1: what an instance is, and its validation, which reports every error with its path.

`schema` holds the pydantic models; `parse` validates raw JSON (both passes, `messages` and
`references`) and reads and writes instance files. The names every other package needs are
re-exported here: `from solver.instance import Instance, parse_instance`.
"""

from solver.instance.messages import format_path
from solver.instance.names import municipality_names, place_names, unit_names
from solver.instance.parse import (
    dump_instance,
    load_instance,
    parse_instance,
    parse_json_text,
    read_json,
)
from solver.instance.schema import (
    GAME_RULES,
    CareType,
    Consortium,
    CostSplit,
    Demand,
    Horizon,
    Incumbent,
    Instance,
    Lot,
    LotSplit,
    Municipality,
    Offer,
    Period,
    Policy,
    Provider,
)

__all__ = [
    "GAME_RULES",
    "CareType",
    "Consortium",
    "CostSplit",
    "Demand",
    "Horizon",
    "Incumbent",
    "Instance",
    "Lot",
    "LotSplit",
    "Municipality",
    "Offer",
    "Period",
    "Policy",
    "Provider",
    "dump_instance",
    "format_path",
    "load_instance",
    "municipality_names",
    "parse_instance",
    "parse_json_text",
    "place_names",
    "read_json",
    "unit_names",
]
