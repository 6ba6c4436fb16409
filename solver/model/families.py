"""The names of the model's variable blocks and row families: one constant each.

`formulation` names every block of columns and every family of rows it adds; the
backends' strategies, the infeasibility explanations, the coalition game and the analyses find
rows and columns by these names. They are spelled here once, so a rename cannot silently switch a
heuristic off. A family that exists once per lot is named `per_lot(FAMILY, lot_id)`.
"""

from __future__ import annotations

# Variable blocks (see `formulation` for what each column means).
X = "x"  # clients on an assignment row (u, p, m, c)
Y = "y"  # unit u contracted for care type c
Z = "z"  # unit u contracted
MOVED = "moved"  # incumbent clients who move
W = "w"  # per lot: unit u holds a care type of the lot (lots with max_contracts)
V = "v"  # per lot: unit u has clients of the lot in m (lots with max_units_per_municipality)

# Row families, in the order the formulation adds them.
DEMAND = "demand"
CAPACITY = "capacity"
MIN_CLIENTS = "min_clients"
ASSIGNMENT_BOUND = "assignment_bound"  # x ≤ bound·y, implied by capacity and column bounds
CONTRACT_LINK = "contract_link"
CONTRACT_NEEDS_CARE_TYPE = "contract_needs_care_type"
ONE_UNIT_PER_PROVIDER = "one_unit_per_provider"
COVERAGE = "coverage"
MAX_CONTRACTS = "max_contracts"
LOT_CONTRACT_LINK = "lot_contract_link"  # per lot
LOT_MAX_CONTRACTS = "lot_max_contracts"  # per lot
UNIT_IN_MUNICIPALITY = "unit_in_municipality"  # per lot: x ≤ bound·v
MAX_UNITS_PER_MUNICIPALITY = "max_units_per_municipality"  # per lot
MAX_SHARE = "max_share"  # per lot
BUDGET_CAP = "budget_cap"  # per lot
TASK_BUDGET = "task_budget"  # per lot
POPULATION_BUDGET = "population_budget"  # per lot
MOVED_CLIENTS = "moved_clients"
MOVED_UNLESS_CONTRACTED = "moved_unless_contracted"  # implied at whole contracts: tightening only
MAX_MOVED = "max_moved"
N_MINUS_1 = "n_minus_1"  # per care type: contracted capacity less the largest unit's ≥ demand
N_MINUS_1_LARGEST = "n_minus_1_largest"  # per care type: the block and rows of its largest unit
OPEN_HOUSE = "open_house"  # per lot: every offering provider contracted


def per_lot(family: str, lot_id: str) -> str:
    """The name of a per-lot block or family for one lot: `max_share[ambulant]`."""
    return f"{family}[{lot_id}]"


def is_per_lot(name: str, family: str) -> bool:
    """Whether `name` is `family`'s block or family for some lot."""
    return name.startswith(family + "[")
