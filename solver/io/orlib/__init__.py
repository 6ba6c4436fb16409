"""OR-Library benchmarks (Beasley) as SPEC instances, and their known optima.

Four families, each read from its raw file and turned into raw SPEC instance JSON data
(`schema_version` 1, accepted by `solver.instance.parse_instance`) whose SPEC §3 optimum equals the
OR-Library optimum listed in `shared/orlib/optima.csv`:

- `orlib-cap` (cap41..cap134; capa/b/c at a chosen capacity): warehouse → provider with
  contract_cost = fixed cost and one offer (capacity = the warehouse's, price 0); customer j →
  municipality with demand d_j; access_cost = c_ij / d_j per client.
- `orlib-ucap` (the same files): the same with capacity = total demand, which never binds.
- `orlib-pmed` (pmed1..pmed40): vertex → municipality (demand 1) and provider (contract_cost 0,
  access_cost = shortest-path distance); policy.max_contracts = p.
- `orlib-scp` (scp41..scpnrh5): row → municipality (demand 1); column → provider with
  contract_cost = column cost, serving exactly the rows it covers.

Every instance has one lot `all` (fee_for_service, min_providers 1) with care type `care`.
Municipality ids are `c0001`.. (customer, vertex or row number of the file), provider ids `f001`..
(warehouse, vertex or column number); the instance is named after the file (`capa-8000` for capa at
capacity 8000). Why each mapping is exact, and where floats round, is in the family modules:
`cap` (splittable demand and integer clients, customers with demand 0), `pmed` (repeated edges,
"at most p" vs "exactly p"), `scp`. A malformed file raises `InvalidInput` whose error
names the file and line (`cap41.txt:7: demand of customer 3: expected a whole number, found '1.5'`).
"""

from solver.io.orlib.cap import CapProblem, cap_instance, read_cap
from solver.io.orlib.convert import (
    FAMILIES,
    convert,
    default_shared_dir,
    known_optimum,
    listed_capacities,
    optima_family,
)
from solver.io.orlib.pmed import PmedProblem, pmed_instance, read_pmed
from solver.io.orlib.scp import ScpProblem, read_scp, scp_instance

__all__ = [
    "FAMILIES",
    "CapProblem",
    "PmedProblem",
    "ScpProblem",
    "cap_instance",
    "convert",
    "default_shared_dir",
    "known_optimum",
    "listed_capacities",
    "optima_family",
    "pmed_instance",
    "read_cap",
    "read_pmed",
    "read_scp",
    "scp_instance",
]
