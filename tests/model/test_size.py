"""The model's size, known before it is built: flows exact, columns and rows close."""

from __future__ import annotations

import pytest

from solver.generate.region import generate_region
from solver.instance import load_instance, parse_instance
from solver.model.data import build_data
from solver.model.families import X
from solver.model.formulation import build_model
from solver.model.size import estimate_size
from tests.conftest import REPO


@pytest.mark.parametrize("name", ["tiny", "achterhoek", "eemland", "groningen", "generated"])
def test_the_estimate_counts_every_flow_and_most_of_the_rest(name: str) -> None:
    if name == "generated":
        instance = parse_instance(generate_region(providers=300, municipalities=12, seed=4))
    else:
        instance = load_instance(REPO / "instances" / f"{name}.json")
    size = estimate_size(instance)
    model = build_model(build_data(instance))
    x = model.blocks[X]
    assert size.flows == x.stop - x.start
    assert 0.75 * model.n_cols <= size.columns <= model.n_cols
    assert 0.75 * model.n_rows <= size.rows <= 1.25 * model.n_rows
    assert size.memory_mb >= 1
