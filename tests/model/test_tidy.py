"""Care-type contracts without clients go unless a rule needs them; the cost never moves."""

from __future__ import annotations

import json

import numpy as np

from solver.check import check
from solver.instance import load_instance
from solver.model.data import build_data
from solver.model.formulation import build_model
from solver.model.tidy import drop_idle_options
from solver.solve import solve
from tests.builders import build_instance
from tests.conftest import REPO


def _idle(result) -> list[tuple[str, str]]:
    """(unit, care type) contracts of a result that have no clients."""
    served = {(a.unit, a.care_type) for a in result.assignments}
    listed = [(c.unit, t) for c in result.contracts for t in c.care_types]
    return [pair for pair in listed if pair not in served]


def _offer(care: str, price: float) -> dict:
    return {"care_type": care, "capacity": 10, "price": price}


def test_a_contract_coverage_needs_stays_even_without_clients() -> None:
    # two units must be able to serve "c" in m (min_providers 2); the dearer one gets nobody.
    # It also offers "d", which nobody needs, and its contract for "d" has no reason at all.
    instance = build_instance(
        municipalities={"m": 100},
        lots=[{"id": "l", "funding": "fee_for_service", "min_providers": 2}],
        care_types={"c": "l", "d": "l"},
        demand={("m", "c"): 5},
        providers=[
            {"id": "cheap", "contract_cost": 100, "offers": [_offer("c", 10)]},
            {"id": "dear", "contract_cost": 100, "offers": [_offer("c", 20), _offer("d", 1)]},
        ],
    )
    data = build_data(instance)
    model = build_model(data)
    result = solve(instance)
    assert result.objective == 5 * 10 + 2 * 100
    assert _idle(result) == [("dear", "c")]  # kept: coverage; "d" never listed
    # the same plan with "d" switched on as well comes back without it
    y = model.blocks["y"]
    dirty = np.zeros(model.n_cols)
    dirty[model.blocks["z"]] = 1.0
    dirty[y] = 1.0
    x = model.blocks["x"]
    dirty[x.start + int(np.flatnonzero(data.row_unit == 0)[0])] = 5.0  # the 5 clients at "cheap"
    clean = drop_idle_options(data, model, dirty)
    care = [data.care_type_ids[c] for c in data.option_care]
    units = [data.unit_ids[u] for u in data.option_unit]
    on = sorted((units[j], care[j]) for j in np.flatnonzero(clean[y] > 0.5))
    assert on == [("cheap", "c"), ("dear", "c")]
    assert float(model.cost @ clean) == float(model.cost @ dirty)


def test_achterhoek_lists_no_contract_without_clients_and_keeps_its_optimum() -> None:
    instance = load_instance(REPO / "instances" / "achterhoek.json")
    result = solve(instance)
    assert result.objective is not None
    known = json.loads((REPO / "instances" / "manifest.json").read_text())["achterhoek"]
    assert abs(result.objective - known["objective"]) <= 1e-6 * known["objective"]
    assert _idle(result) == []  # min_providers 2 in the ambulant lot is met by served units
    assert check(instance, result).ok
