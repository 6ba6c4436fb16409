"""A solution's values read back as a plan: the contracts and the assignments of SPEC §2."""

from __future__ import annotations

import numpy as np

from solver.model.data import ModelData
from solver.model.families import X, Y
from solver.model.matrix import MatrixModel
from solver.result import Assignment, Contract


def extract_plan(
    data: ModelData, model: MatrixModel, values: np.ndarray
) -> tuple[list[Contract], list[Assignment]]:
    """Contracts and assignments from variable values (integers rounded from solver floats)."""
    x = np.rint(values[model.blocks[X]]).astype(np.int64)
    y = values[model.blocks[Y]] > 0.5
    care_of: dict[int, list[int]] = {}
    for j in np.flatnonzero(y):
        care_of.setdefault(int(data.option_unit[j]), []).append(int(data.option_care[j]))
    contracts = [
        Contract(unit=data.unit_ids[u], care_types=[data.care_type_ids[c] for c in sorted(cs)])
        for u, cs in sorted(care_of.items())
    ]
    rows = np.flatnonzero(x > 0)
    units, providers = data.row_unit[rows], data.row_provider[rows]
    muns, cares = data.row_municipality[rows], data.row_care[rows]
    assignments = [
        Assignment(
            unit=data.unit_ids[int(units[i])],
            provider=data.unit_ids[int(providers[i])],
            municipality=data.municipality_ids[int(muns[i])],
            care_type=data.care_type_ids[int(cares[i])],
            clients=int(x[r]),
        )
        for i, r in enumerate(rows)
    ]
    return contracts, assignments
