"""SPEC §1 validation: every kind of bad input gives its error, with its path, all in one pass."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from solver.errors import InvalidInput
from solver.instance import load_instance, parse_instance, parse_json_text
from tests.conftest import REPO

TINY = json.loads((REPO / "instances" / "tiny.json").read_text())


def errors_of(mutate: Callable[[dict[str, Any]], None]) -> dict[str, str]:
    raw = copy.deepcopy(TINY)
    mutate(raw)
    with pytest.raises(InvalidInput) as caught:
        parse_instance(raw)
    return {e.path: e.message for e in caught.value.errors}


def first_offer(raw: dict[str, Any]) -> dict[str, Any]:
    return raw["providers"][0]["offers"][0]


def test_bundled_instances_are_valid() -> None:
    for path in sorted((REPO / "instances").glob("*.json")):
        if path.name != "manifest.json":
            assert load_instance(path).schema_version == 1


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("negative price", lambda r: first_offer(r).update(price=-3.0),
     "providers[0].offers[0].price", "must be ≥ 0"),
    ("bool for number", lambda r: first_offer(r).update(capacity=True),
     "providers[0].offers[0].capacity", "must be a whole number, not true"),
    ("string for number", lambda r: first_offer(r).update(price="12"),
     "providers[0].offers[0].price", "must be a number, not the string '12'"),
    ("fraction for count", lambda r: first_offer(r).update(capacity=2.5),
     "providers[0].offers[0].capacity", "must be a whole number, not 2.5"),
    ("NaN", lambda r: first_offer(r).update(price=float("nan")),
     "providers[0].offers[0].price", "must be a finite number"),
    ("infinity", lambda r: r["providers"][0].update(contract_cost=float("inf")),
     "providers[0].contract_cost", "must be a finite number"),
    ("unknown field", lambda r: r["providers"][0].update(colour="red"),
     "providers[0].colour", "unknown field"),
    ("missing field", lambda r: r["municipalities"][0].pop("youth_population"),
     "municipalities[0].youth_population", "required"),
    ("quality above 1", lambda r: first_offer(r).update(quality=1.5),
     "providers[0].offers[0].quality", "must be ≤ 1"),
    ("bad id", lambda r: r["providers"][0].update(id="has space"),
     "providers[0].id", "must be an id"),
    ("dangling municipality", lambda r: r["demand"][0].update(municipality="nowhere"),
     "demand[0].municipality", "unknown municipality 'nowhere'"),
    ("dangling care type", lambda r: first_offer(r).update(care_type="astrology"),
     "providers[0].offers[0].care_type", "unknown care type 'astrology'"),
    ("dangling lot", lambda r: r["care_types"][0].update(lot="nolot"),
     "care_types[0].lot", "unknown lot 'nolot'"),
    ("duplicate id", lambda r: r["providers"][1].update(id=r["providers"][0]["id"]),
     "providers[1].id", "duplicate id"),
    ("repeated demand pair", lambda r: r["demand"].append(dict(r["demand"][0])),
     f"demand[{len(TINY['demand'])}]", "repeats the demand"),
    ("care type offered twice",
     lambda r: r["providers"][0]["offers"].append(dict(first_offer(r))),
     f"providers[0].offers[{len(TINY['providers'][0]['offers'])}].care_type", "offered twice"),
    ("lead not a member", lambda r: r["consortia"][0].update(lead=r["providers"][-1]["id"]),
     "consortia[0].lead", "is not one of the members"),
    ("consortium of one",
     lambda r: r["consortia"][0].update(members=r["consortia"][0]["members"][:1],
                                        lead=r["consortia"][0]["members"][0]),
     "consortia[0].members", "at least 2"),
    ("task budget missing", lambda r: r["lots"][0].update(funding="task_based"),
     "lots[0].task_budget", "required for a task_based lot"),
    ("max_share zero", lambda r: r["lots"][0].update(max_share=0.0),
     "lots[0].max_share", "must be > 0"),
    ("unknown funding", lambda r: r["lots"][0].update(funding="voucher"),
     "lots[0].funding", "must be one of"),
    ("key split without weights", lambda r: r["policy"].update(cost_split={"rule": "key"}),
     "policy.cost_split.weights", "required for the key rule"),
    ("huge count", lambda r: first_offer(r).update(capacity=10**30),
     "providers[0].offers[0].capacity", "must be ≤ 1000000000"),
    ("huge money", lambda r: first_offer(r).update(price=1e300),
     "providers[0].offers[0].price", "must be ≤ 1000000000000"),
    ("schema version", lambda r: r.update(schema_version=2),
     "schema_version", "must be one of"),
]  # fmt: skip


@pytest.mark.parametrize(("label", "mutate", "path", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_input_names_its_path(
    label: str, mutate: Callable[[dict[str, Any]], None], path: str, message: str
) -> None:
    errors = errors_of(mutate)
    assert path in errors, f"{label}: got {errors}"
    assert message in errors[path]


def test_every_error_is_reported_in_one_pass() -> None:
    def break_many(raw: dict[str, Any]) -> None:
        for mutate in (c[1] for c in CASES[:12]):
            mutate(raw)

    errors = errors_of(break_many)
    # later cases overwrite some fields of earlier ones; every distinct place must be named
    expected = {
        "providers[0].offers[0].capacity", "providers[0].offers[0].price",
        "providers[0].contract_cost", "providers[0].colour", "providers[0].id",
        "municipalities[0].youth_population", "providers[0].offers[0].quality",
        "demand[0].municipality",
    }  # fmt: skip
    assert expected <= set(errors)


def test_not_json_is_an_error_not_a_traceback() -> None:
    with pytest.raises(InvalidInput, match="not valid JSON"):
        parse_json_text("{ providers: ")


def test_top_level_not_an_object() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_instance([1, 2, 3])
    assert caught.value.errors
