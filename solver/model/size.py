"""How large an instance's model will be, known before it is built (a service's size ceiling).

The client flows dominate every model: one column (and one `x ≤ bound·y` row) per assignment row
(u, p, m, c), i.e. per offer of every unit times the municipalities its provider serves that have
demand for the care type. `estimate_size` counts them exactly with one matrix product over
providers × municipalities × care types (no Python loop over flows), and adds the contract
switches and the demand, capacity and coverage rows. Memory follows the columns: about 4 KB per
column at the solve's peak (measured on the generated ladder: 150k columns 850 MB, 606k 2.3 GB).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.instance import Instance

BYTES_PER_COLUMN = 4_000  # the solve's peak memory per column, measured (module docstring)


@dataclass(frozen=True, slots=True)
class ModelSize:
    """Columns (variables) and rows (constraints) of the model, and its flows among them."""

    flows: int
    columns: int
    rows: int

    @property
    def memory_mb(self) -> int:
        """The expected peak memory of its solve, in MiB."""
        return int(self.columns * BYTES_PER_COLUMN / 2**20) + 1


def estimate_size(instance: Instance) -> ModelSize:
    """The model's size from the instance alone (flows exact; switches and rows close)."""
    mun = {m.id: i for i, m in enumerate(instance.municipalities)}
    care = {c.id: i for i, c in enumerate(instance.care_types)}
    demand = np.zeros((len(mun), len(care)), dtype=np.float64)
    for d in instance.demand:
        if d.clients > 0:
            demand[mun[d.municipality], care[d.care_type]] = 1.0
    serves = np.zeros((len(instance.providers), len(mun)), dtype=np.float64)
    offers = np.zeros((len(instance.providers), len(care)), dtype=np.float64)
    for i, p in enumerate(instance.providers):
        if p.municipalities is None:
            serves[i, :] = 1.0
        else:
            serves[i, [mun[m] for m in p.municipalities]] = 1.0
        offers[i, [care[o.care_type] for o in p.offers]] = 1.0
    # flows of provider p alone: Σ_c offers(p, c) · |{m : p serves m, demand(m, c) > 0}|
    per_provider = ((serves @ demand) * offers).sum(axis=1)
    index = {p.id: i for i, p in enumerate(instance.providers)}
    members = [[index[m] for m in k.members] for k in instance.consortia]
    flows = int(per_provider.sum()) + sum(int(per_provider[ms].sum()) for ms in members)
    # a member offer per (unit, offer), a contract option per (unit, care type) at most
    member_offers = int(offers.sum()) + sum(int(offers[ms].sum()) for ms in members)
    options = int(offers.sum()) + sum(int(offers[ms].max(axis=0).sum()) for ms in members)
    units = len(instance.providers) + len(instance.consortia)
    cells = int(demand.sum())
    policy = instance.policy
    counted = policy.transfer_cost > 0 or policy.max_moved is not None
    moved = sum(len(p.incumbent) for p in instance.providers) if counted else 0
    columns = flows + options + units + moved
    # two rows per incumbent: moved ≥ I − Σ x, and moved ≥ I unless contracted
    rows = flows + cells + 2 * member_offers + 2 * options + units + 2 * moved
    return ModelSize(flows=flows, columns=columns, rows=rows)
