from experiment_instances import coverage_grid

from solver.compare import compare
from solver.min_contracts import with_max_contracts
from solver.solve import solve


def test_compare_names_contracts_won_and_lost_and_clients_moved():
    instance = coverage_grid()
    a = solve(instance)
    b = solve(with_max_contracts(instance, 1))
    diff = compare(a, b, instance)
    units_a = {c.unit for c in a.contracts}
    units_b = {c.unit for c in b.contracts}
    assert set(diff["won"]) == units_b - units_a
    assert set(diff["lost"]) == units_a - units_b
    assert diff["objective"][2] == b.objective - a.objective
    assert diff["clients"] == [20, 20]
    assert diff["clients_moved"] > 0
    deltas = [row["care_delta"] for row in diff["municipalities"].values()]
    care_a = sum(row["care_a"] for row in diff["municipalities"].values())
    assert care_a == a.costs.care_cost
    assert any(d != 0 for d in deltas)
