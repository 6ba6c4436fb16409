"""The seeded region generator, the bundled instances and `dekkend generate`."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from solver.cli.app import app
from solver.generate.bundled import BUNDLED, bundled_instance
from solver.generate.org_names import FORMS, organisation_names
from solver.generate.region import dumps_instance, generate_region
from solver.instance import parse_instance
from solver.options import SolveOptions
from solver.solve import solve
from tests.conftest import REPO

INSTANCES = REPO / "instances"


def _cells(data: dict) -> dict[tuple[str, str], list[tuple[int, set[str]]]]:
    """(municipality, care type) -> [(capacity, served)] of every offer reaching it."""
    all_m = {m["id"] for m in data["municipalities"]}
    reach = defaultdict(list)
    for p in data["providers"]:
        served = set(p.get("municipalities") or all_m)
        for o in p["offers"]:
            for m in served:
                reach[m, o["care_type"]].append((o["capacity"], served))
    return reach


def _assert_feasible_by_construction(data: dict) -> None:
    """The properties the generator promises, checked on the JSON alone."""
    lot_of = {c["id"]: c["lot"] for c in data["care_types"]}
    lots = {lot["id"]: lot for lot in data["lots"]}
    reach = _cells(data)
    demand = {(d["municipality"], d["care_type"]): d["clients"] for d in data["demand"]}
    for (m, c), clients in demand.items():
        k = lots[lot_of[c]].get("min_providers", 1)
        offers = reach[m, c]
        assert len(offers) >= k + 1, f"{m}/{c}: {len(offers)} providers for min_providers {k}"
        assert sum(cap for cap, _ in offers) >= 1.3 * clients, f"{m}/{c}: too little capacity"
    # A population-based lot answers for every municipality, with or without demand.
    for lot in lots.values():
        if lot["funding"] != "population_based":
            continue
        types = [c for c, owner in lot_of.items() if owner == lot["id"]]
        for mun in data["municipalities"]:
            teams = [p for p in data["providers"] if _serves_all(p, mun["id"], types)]
            assert teams, f"no area team for lot {lot['id']} in {mun['id']}"
    # max_contracts ≥ a simple lower bound: per care type, enough units by min_providers and by
    # the largest capacities to hold the whole demand.
    total = defaultdict(int)
    for (_, c), clients in demand.items():
        total[c] += clients
    capacities = defaultdict(list)
    for p in data["providers"]:
        for o in p["offers"]:
            capacities[o["care_type"]].append(o["capacity"])
    bound = 0
    for c, need in total.items():
        held, count = 0, 0
        for cap in sorted(capacities[c], reverse=True):
            if held >= need:
                break
            held, count = held + cap, count + 1
        assert held >= need, f"{c}: total capacity below demand"
        bound = max(bound, count, lots[lot_of[c]].get("min_providers", 1))
    assert data["policy"]["max_contracts"] >= bound


def _serves_all(provider: dict, municipality: str, types: list[str]) -> bool:
    served = provider.get("municipalities")
    offered = {o["care_type"] for o in provider["offers"]}
    return (served is None or municipality in served) and set(types) <= offered


def test_same_seed_same_bytes_other_seed_other_bytes():
    one = dumps_instance(generate_region(providers=221, municipalities=8, seed=3))
    two = dumps_instance(generate_region(providers=221, municipalities=8, seed=3))
    other = dumps_instance(generate_region(providers=221, municipalities=8, seed=4))
    assert one == two
    assert one != other


@pytest.mark.parametrize(
    ("providers", "municipalities", "seed"),
    [(221, 8, 0), (221, 8, 11), (40, 3, 5), (300, 60, 1), (800, 120, 2)],
)
def test_generated_regions_are_valid_and_feasible_by_construction(providers, municipalities, seed):
    data = generate_region(providers=providers, municipalities=municipalities, seed=seed)
    instance = parse_instance(data)
    assert len(instance.providers) == providers
    assert len(instance.municipalities) == municipalities
    assert {lot.funding for lot in instance.lots} == {
        "lump_sum",
        "fee_for_service",
        "population_based",
    }
    clients = sum(d.clients for d in instance.demand)
    youth = sum(m.youth_population for m in instance.municipalities)
    assert 0.09 * youth <= clients <= 0.11 * youth
    assert all(len(p.offers) in (1, 2, 3) for p in instance.providers)
    assert all(len(p.municipalities or []) <= 40 for p in instance.providers)
    _assert_feasible_by_construction(data)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_small_generated_regions_solve(seed):
    data = generate_region(providers=60, municipalities=6, seed=seed)
    result = solve(parse_instance(data), options=SolveOptions(time_limit_s=30))
    assert result.status.value in ("optimal", "feasible")


def test_task_based_lot_gets_a_budget_that_the_solver_can_meet():
    data = generate_region(
        providers=80, municipalities=5, seed=9, lot_funding={"specialistisch": "task_based"}
    )
    lot = next(lot for lot in data["lots"] if lot["id"] == "specialistisch")
    assert lot["funding"] == "task_based" and lot["task_budget"] > 0
    result = solve(parse_instance(data), options=SolveOptions(time_limit_s=30))
    assert result.status.value in ("optimal", "feasible")


def test_budget_caps_when_asked():
    data = generate_region(providers=80, municipalities=5, seed=9, budget_cap_slack=1.5)
    assert all(lot["budget_cap"] > 0 for lot in data["lots"])
    result = solve(parse_instance(data), options=SolveOptions(time_limit_s=30))
    assert result.status.value in ("optimal", "feasible")


@pytest.mark.parametrize(
    ("knobs", "words"),
    [
        ({"providers": 5, "municipalities": 3}, "too few"),
        ({"providers": 221, "municipalities": 8, "max_contracts": 3}, "below"),
        ({"providers": 221, "municipalities": 8, "lot_funding": {"nope": "lump_sum"}}, "lot"),
        ({"providers": 221, "municipalities": 8, "care_types": ["knuffelen"]}, "care_types"),
        ({"providers": 0, "municipalities": 8}, "providers"),
    ],
)
def test_impossible_arguments_are_refused_clearly(knobs, words):
    with pytest.raises(ValueError, match=words):
        generate_region(seed=0, **knobs)


def test_large_region_generates_and_validates():
    data = generate_region(providers=5000, municipalities=342, seed=0)
    instance = parse_instance(data)
    assert len(instance.providers) == 5000
    assert len(instance.consortia) == round(5000 / 30)
    assert data["policy"]["max_contracts"] == 1350
    served = [len(p.municipalities) for p in instance.providers if p.municipalities is not None]
    assert max(served) <= 40


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_instance_is_valid_and_has_not_drifted(name):
    path = INSTANCES / f"{name}.json"
    text = path.read_text(encoding="utf-8")
    parse_instance(json.loads(text))
    assert text == dumps_instance(bundled_instance(name)), (
        f"{path.name} differs from the code: run python instances/build.py"
    )
    _assert_feasible_by_construction(json.loads(text))


def test_achterhoek_matches_the_seed_figures():
    data = json.loads((INSTANCES / "achterhoek.json").read_text(encoding="utf-8"))
    assert len(data["municipalities"]) == 8 and len(data["providers"]) == 221
    assert data["policy"]["max_contracts"] == 60
    fundings = sorted(lot["funding"] for lot in data["lots"])
    assert fundings == ["lump_sum", "lump_sum", "lump_sum", "population_based"]
    clients = sum(d["clients"] for d in data["demand"])
    youth = sum(m["youth_population"] for m in data["municipalities"])
    assert 5900 <= clients <= 6100
    assert clients / youth == pytest.approx(0.102, abs=0.002)


def test_cli_writes_the_same_json_as_the_library(tmp_path):
    runner = CliRunner()
    args = ["generate", "--providers", "50", "--municipalities", "4", "--seed", "2"]
    expected = dumps_instance(generate_region(providers=50, municipalities=4, seed=2))
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == expected
    out = tmp_path / "region.json"
    written = runner.invoke(app, [*args, "--name", "mine", "--out", str(out)])
    assert written.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["name"] == "mine"


def test_cli_refuses_impossible_sizes():
    result = CliRunner().invoke(app, ["generate", "--providers", "3", "--municipalities", "3"])
    assert result.exit_code == 2


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_instance_reaches_its_known_optimum(name):
    known = json.loads((INSTANCES / "manifest.json").read_text(encoding="utf-8"))[name]
    result = solve(bundled_instance_model(name), options=SolveOptions(time_limit_s=120))
    assert result.status.value == known["status"]
    assert result.objective == pytest.approx(known["objective"], rel=1e-6)


def bundled_instance_model(name: str):
    return parse_instance(json.loads((INSTANCES / f"{name}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", ["tiny", "achterhoek", "eemland", "groningen"])
def test_every_bundled_bidder_has_a_distinct_fictional_name(name):
    raw = json.loads((REPO / "instances" / f"{name}.json").read_text(encoding="utf-8"))
    units = raw["providers"] + raw["consortia"]
    names = [u.get("name") for u in units]
    assert all(names) and len(set(names)) == len(names)
    assert all(n.split()[0] in (*FORMS, "Samenwerkingsverband") for n in names)


def test_names_are_seeded_and_distinct():
    a = generate_region(providers=60, municipalities=5, seed=4)
    b = generate_region(providers=60, municipalities=5, seed=4)
    c = generate_region(providers=60, municipalities=5, seed=5)
    assert [p["name"] for p in a["providers"]] == [p["name"] for p in b["providers"]]
    assert [p["name"] for p in a["providers"]] != [p["name"] for p in c["providers"]]
    names, _ = organisation_names(8000, seed=4)
    assert len(set(names)) == 8000
