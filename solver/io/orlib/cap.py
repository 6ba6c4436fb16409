"""OR-Library warehouse location (cap41..cap134, capa/b/c), capacitated or not, as SPEC instances.

File layout (tokens, 1-based): `m n`, then per warehouse i `capacity_i fixed_i`, then per customer j
`demand_j` followed by `c_1j .. c_mj`, where c_ij is the cost of serving ALL of j's demand from i.
capa/capb/capc write the literal word `capacity` instead of the capacity: the caller picks one value
for every warehouse (Beasley 1988 pairs each file with four; `optima.csv` names them `capa-8000`).

The problem the published optima refer to (splittable demand):

    min Σ_i f_i y_i + Σ_ij c_ij x_ij   s.t.  Σ_i x_ij = 1,  Σ_j d_j x_ij ≤ s_i y_i,  x_ij ≤ y_i,
                                             0 ≤ x_ij ≤ 1,  y_i ∈ {0, 1}

(uncapacitated: drop the capacity row). The SPEC instance:

- warehouse i → provider `f{i:03}` with contract_cost f_i and one offer of care type `care`:
  capacity s_i (uncapacitated: Σ_j d_j, which never binds), price 0;
- customer j with d_j > 0 → municipality `c{j:04}` with demand d_j of `care`, and
  access_cost[i][j] = c_ij / d_j per client, so k clients of j at i cost k c_ij / d_j = c_ij x_ij
  with x_ij = k / d_j;
- one lot `all`, fee_for_service, min_providers 1, no max_contracts; youth_population = max(d_j, 1)
  (it plays no part in the objective).

Why integer clients lose nothing: with the contracted set fixed, what is left is a transportation
problem (supplies s_i of the contracted providers, demands d_j, all integers; capacities and demands
must be whole numbers in these files and are checked); its constraint matrix is totally unimodular,
so it has an integral optimal vertex, i.e. an optimal split in whole clients. The SPEC optimum
equals the original one, and every SPEC solution maps back (x_ij = clients / d_j) at the same cost.

A customer with d_j = 0 still costs c_ij of an open warehouse in the model above (it must be
assigned, x_ij ≤ y_i) but cannot be a SPEC demand of 0 clients (that has no cost and needs no
coverage). Such a customer becomes a municipality with demand 1 of a second care type `zero_demand`
(same lot), offered by every provider at price 0 with capacity = the number of such customers, and
access_cost[i][j] = c_ij. Contract cost is per unit, not per care type, so this adds exactly c_ij of
one contracted provider; access_cost is per municipality, and these municipalities have no other
demand. (No OR-Library file has such a customer; the rule keeps the converter exact on any file.)

Precision: c_ij / d_j is rounded to float64 (relative error ≤ 2^-53), and the SPEC objective sums
clients × access_cost over non-negative terms, so it differs from Σ c_ij x_ij by a relative ~1e-15,
far inside the 1e-6 used to compare with `optima.csv`. JSON keeps every float64 exactly (repr).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from solver.errors import FieldError, InvalidInput
from solver.io.orlib.tokens import WHAT, Tokens, ids, plain, sparse_row

PLACEHOLDER = "capacity"


@dataclass(frozen=True)
class CapProblem:
    """A warehouse location file as read: arrays indexed by warehouse i and customer j (0-based)."""

    name: str
    path: Path
    capacity: np.ndarray | None  # (m,) whole numbers; None: the file says `capacity`, none chosen
    fixed_cost: np.ndarray  # (m,)
    demand: np.ndarray  # (n,) whole numbers
    alloc_cost: np.ndarray  # (m, n): cost of serving ALL of customer j from warehouse i
    placeholder: bool  # the file writes the word `capacity` for the capacities


def read_cap(
    path: str | Path,
    *,
    capacity: int | None = None,
    capacitated: bool = True,
    known_capacities: Sequence[int] = (),
) -> CapProblem:
    """Read a cap file; `capacity` fills the `capacity` placeholder of capa/capb/capc.

    A capacitated read of a placeholder file needs `capacity`; the error then names
    `known_capacities` (those with a published optimum). Uncapacitated reads ignore capacities.
    """
    tokens = Tokens(path)
    m, n = tokens.header(2, ("the number of warehouses m", "the number of customers n"))
    tokens.need(2 + 2 * m + n * (1 + m), f"m = {m}, n = {n} (2 + 2m + n(1 + m))")
    words = tokens.words

    def warehouse(k: int) -> str:
        i, field = divmod(k - 2, 2)
        return f"{('capacity', 'fixed cost')[field]} of warehouse {i + 1}"

    cap_slice = slice(2, 2 + 2 * m, 2)
    marks = [w.lower() == PLACEHOLDER for w in words[cap_slice]]
    placeholder = any(marks)
    if placeholder and not all(marks):
        k = 2 + 2 * marks.index(False)
        raise tokens.fail(
            k, f"{warehouse(k)}: either every capacity is the word 'capacity' or none"
        )
    if placeholder:
        if capacitated and capacity is None:
            known = ", ".join(map(str, known_capacities))
            raise tokens.fail(
                2,
                "the capacities are the word 'capacity': choose one value for every warehouse"
                + (f" (published optima exist for {known})" if known else ""),
            )
        if capacity is not None and capacity < 0:
            raise tokens.fail(2, f"the chosen capacity must be ≥ 0, not {capacity}")
        capacities = None if capacity is None else np.full(m, float(capacity))
    else:
        if capacity is not None:
            raise tokens.fail(
                2,
                "a capacity was given, but this file lists its capacities; the option is for "
                "files that write the word 'capacity' (capa, capb, capc)",
            )
        capacities = tokens.numbers(cap_slice, warehouse, integer=True)
    fixed = tokens.numbers(slice(3, 2 + 2 * m, 2), warehouse)

    base = 2 + 2 * m

    def customer(k: int) -> str:
        j, r = divmod(k - base, m + 1)
        return f"demand of customer {j + 1}" if r == 0 else f"cost c[{r}][{j + 1}]"

    demand = tokens.numbers(slice(base, None, m + 1), customer, integer=True)
    costs = tokens.numbers(slice(base, None), customer).reshape(n, m + 1)[:, 1:].T.copy()
    stem = tokens.path.stem
    filled = placeholder and capacitated and capacity is not None
    name = f"{stem}-{capacity}" if filled else stem
    return CapProblem(name, tokens.path, capacities, fixed, demand, costs, placeholder)


def cap_instance(problem: CapProblem, *, capacitated: bool = True) -> dict[str, Any]:
    """The SPEC instance (raw JSON data) whose optimum is the file's (un)capacitated optimum."""
    if capacitated and problem.capacity is None:
        raise InvalidInput(
            [FieldError(str(problem.path), "the capacities are the word 'capacity': choose one")],
            WHAT,
        )
    m, n = problem.alloc_cost.shape
    demand = problem.demand.astype(np.int64)
    zero = demand == 0
    n_zero = int(zero.sum())
    customers = ids("c", n, 4)
    keys = np.array(customers)
    # Per-client cost; a zero-demand customer is one client of `zero_demand` (module docstring).
    per_client = problem.alloc_cost / np.where(zero, 1, demand)[None, :]
    if capacitated and problem.capacity is not None:
        capacities = problem.capacity.astype(np.int64).tolist()
    else:
        capacities = [int(demand.sum())] * m  # never binds: the uncapacitated problem

    care_types = [{"id": "care", "lot": "all"}]
    demands = [
        {"municipality": customers[j], "care_type": "care", "clients": int(demand[j])}
        for j in np.flatnonzero(~zero)
    ]
    extra_offer: list[dict[str, Any]] = []
    if n_zero:
        care_types.append({"id": "zero_demand", "lot": "all"})
        demands += [
            {"municipality": customers[j], "care_type": "zero_demand", "clients": 1}
            for j in np.flatnonzero(zero)
        ]
        extra_offer = [{"care_type": "zero_demand", "capacity": n_zero, "price": 0}]
    fixed = plain(problem.fixed_cost)
    providers = [
        {
            "id": pid,
            "contract_cost": fixed[i],
            "offers": [{"care_type": "care", "capacity": capacities[i], "price": 0}, *extra_offer],
            "access_cost": sparse_row(keys, per_client[i]),
        }
        for i, pid in enumerate(ids("f", m, 3))
    ]
    return {
        "schema_version": 1,
        "name": problem.name,
        "municipalities": [
            {"id": c, "youth_population": max(int(d), 1)}
            for c, d in zip(customers, demand.tolist(), strict=True)
        ],
        "lots": [{"id": "all", "funding": "fee_for_service", "min_providers": 1}],
        "care_types": care_types,
        "demand": demands,
        "providers": providers,
    }
