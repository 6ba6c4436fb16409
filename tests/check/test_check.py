"""The independent checker (SPEC §2–§6) on a tiny hand-made instance with a hand-priced plan.

The plan below is priced by hand in the comments; every rule is then broken one at a time and the
checker must name exactly that rule. Where breaking a rule also moves money (a changed plan or
rate), `_refresh` first writes the checker's own amounts into the result, so that only the rule
under test can fire: the amounts themselves are pinned by the hand-computed base case.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from solver.check import CheckReport, check
from solver.check.money import share_cents
from solver.cli.app import app
from solver.cli.check_command import check_command  # noqa: F401  (registers `dekkend check`)
from solver.errors import CheckFailed, InvalidInput
from solver.instance import Instance, parse_instance
from solver.result import Budget, CostSplitResult, MunicipalityAmount, Result, parse_result

# Three municipalities (youth 100, 300, 200); lot `amb` (lump sum, 10 % margin, cap 5500, max share
# 0.8) with care types beg and beh; lot `wijk` (population based, € 20 per youth inhabitant, one
# unit per municipality) with care type wt. zorg5 + zorg6 bid together as `coop`.
RAW: dict[str, Any] = {
    "schema_version": 1,
    "name": "tiny",
    "municipalities": [
        {"id": "ma", "youth_population": 100},
        {"id": "mb", "youth_population": 300},
        {"id": "mc", "youth_population": 200},
    ],
    "lots": [
        {
            "id": "amb",
            "funding": "lump_sum",
            "risk_margin": 0.1,
            "budget_cap": 5500.0,
            "max_share": 0.8,
        },
        {
            "id": "wijk",
            "funding": "population_based",
            "population_rate": 20.0,
            "max_units_per_municipality": 1,
        },
    ],
    "care_types": [
        {"id": "beg", "lot": "amb"},
        {"id": "beh", "lot": "amb"},
        {"id": "wt", "lot": "wijk"},
    ],
    "demand": [
        {"municipality": "ma", "care_type": "beg", "clients": 10},
        {"municipality": "ma", "care_type": "beh", "clients": 4},
        {"municipality": "ma", "care_type": "wt", "clients": 5},
        {"municipality": "mb", "care_type": "beg", "clients": 20},
        {"municipality": "mb", "care_type": "beh", "clients": 6},
        {"municipality": "mb", "care_type": "wt", "clients": 10},
        {"municipality": "mc", "care_type": "beg", "clients": 5},
        {"municipality": "mc", "care_type": "wt", "clients": 0},
    ],
    "providers": [
        {
            "id": "zorg1",
            "contract_cost": 1000.0,
            "offers": [
                {
                    "care_type": "beg",
                    "capacity": 30,
                    "price": 100.0,
                    "min_clients": 10,
                    "quality": 0.8,
                },
                {"care_type": "beh", "capacity": 10, "price": 200.0},
            ],
            "incumbent": [{"municipality": "ma", "care_type": "beg", "clients": 8}],
        },
        {
            "id": "zorg2",
            "contract_cost": 500.0,
            "municipalities": ["ma", "mb"],
            "offers": [
                {"care_type": "beg", "capacity": 15, "price": 120.0, "min_clients": 5},
            ],
            "incumbent": [{"municipality": "mb", "care_type": "beg", "clients": 5}],
        },
        {
            "id": "zorg5",
            "contract_cost": 600.0,
            "offers": [{"care_type": "beh", "capacity": 10, "price": 60.0, "quality": 0.9}],
            "access_cost": {"ma": 7.5},
        },
        {
            "id": "zorg6",
            "contract_cost": 700.0,
            "offers": [{"care_type": "beg", "capacity": 10, "price": 90.0, "quality": 0.6}],
            "incumbent": [{"municipality": "mb", "care_type": "beg", "clients": 6}],
        },
        {
            "id": "team3",
            "contract_cost": 300.0,
            "municipalities": ["ma", "mc"],
            "offers": [{"care_type": "wt", "capacity": 20, "price": 50.0}],
        },
        {
            "id": "team4",
            "contract_cost": 400.0,
            "municipalities": ["mb", "mc"],
            "offers": [{"care_type": "wt", "capacity": 20, "price": 40.0, "quality": 0.7}],
        },
    ],
    "consortia": [
        {"id": "coop", "lead": "zorg5", "members": ["zorg5", "zorg6"], "contract_cost": 800.0}
    ],
    "policy": {
        "transfer_cost": 100.0,
        "quality_weight": 10.0,
        "cost_split": {"rule": "mixed", "usage_weight": 0.5},
    },
}


def _a(unit: str, provider: str, m: str, c: str, n: int) -> dict[str, Any]:
    return {"unit": unit, "provider": provider, "municipality": m, "care_type": c, "clients": n}


# Care cost per assignment = clients × (price + access cost):
#   zorg1: beg ma 8×100 = 800, beg mb 15×100 = 1500, beg mc 5×100 = 500, beh mb 6×200 = 1200
#          -> 4000 (ma 800, mb 2700, mc 500)
#   coop:  zorg6 beg ma 2×90 = 180, zorg6 beg mb 5×90 = 450, zorg5 beh ma 4×(60+7.5) = 270
#          -> 900 (ma 450, mb 450)
#   team3: wt ma 5×50 = 250;  team4: wt mb 10×40 = 400
#   care cost = 4000 + 900 + 250 + 400 = 5550 (lot amb 4900: ma 1250, mb 3150, mc 500)
# Contract cost = zorg1 1000 + coop 800 + team3 300 + team4 400 = 2500.
# Moved: zorg1 (ma, beg, 8) keeps 8 -> 0; zorg2 (mb, beg, 5) keeps 0 -> 5; zorg6 (mb, beg, 6)
#   keeps 5 under coop -> 1. Moved 6, all in mb; transfer cost 6 × 100 = 600.
# Quality: zorg1 beg 28×0.8 = 22.4, zorg1 beh 6×0.5 = 3, zorg6 7×0.6 = 4.2, zorg5 4×0.9 = 3.6,
#   team3 5×0.5 = 2.5, team4 10×0.7 = 7 -> 42.7; bonus 10 × 42.7 = 427.
# Objective = 2500 + 5550 + 600 - 427 = 8223.
# Budgets: amb lump sum ×1.1: zorg1 4400, coop 990 (payout 5390 ≤ cap 5500).
#   wijk: ma 20×100 = 2000 to team3 (all clients), mb 20×300 = 6000 to team4, mc has no clients:
#   20×200 = 4000 split over team3 and team4 (both serve mc) -> team3 4000, team4 8000.
# Regional cost = 2500 + 5390 + 12000 + 600 = 20490.
# Split, usage: amb 5390 pro rata care 1250/3150/500 -> 1375, 3465, 550; wijk 2000, 6000, 4000;
#   contract zorg1 1000 by care 800/2700/500 of 4000 -> 200, 675, 125; coop 800 by 450/450 ->
#   400, 400, 0; team3 300 -> ma; team4 400 -> mb: contract 900, 1475, 125; transfer 0, 600, 0.
#   usage = 4275, 11540, 4675. population: 20490 × 100/600, 300/600, 200/600 = 3415, 10245, 6830.
#   mixed ½/½ = 3845, 10892.5, 5752.5 (sum 20490).
EXPECTED_BUDGETS = {
    ("zorg1", "amb"): 4400.0,
    ("team3", "wijk"): 4000.0,
    ("team4", "wijk"): 8000.0,
    ("coop", "amb"): 990.0,
}
EXPECTED_SPLIT = {"ma": 3845.0, "mb": 10892.5, "mc": 5752.5}

RESULT: dict[str, Any] = {
    "status": "optimal",
    "objective": 8223.0,
    "bound": 8223.0,
    "gap": 0.0,
    "backend": "hand",
    "contracts": [
        {"unit": "zorg1", "care_types": ["beg", "beh"]},
        {"unit": "team3", "care_types": ["wt"]},
        {"unit": "team4", "care_types": ["wt"]},
        {"unit": "coop", "care_types": ["beg", "beh"]},
    ],
    "assignments": [
        _a("zorg1", "zorg1", "ma", "beg", 8),
        _a("zorg1", "zorg1", "mb", "beg", 15),
        _a("zorg1", "zorg1", "mc", "beg", 5),
        _a("zorg1", "zorg1", "mb", "beh", 6),
        _a("coop", "zorg6", "ma", "beg", 2),
        _a("coop", "zorg6", "mb", "beg", 5),
        _a("coop", "zorg5", "ma", "beh", 4),
        _a("team3", "team3", "ma", "wt", 5),
        _a("team4", "team4", "mb", "wt", 10),
    ],
    "budgets": [
        {"unit": "zorg1", "lot": "amb", "funding": "lump_sum", "amount": 4400.0},
        {"unit": "team3", "lot": "wijk", "funding": "population_based", "amount": 4000.0},
        {"unit": "team4", "lot": "wijk", "funding": "population_based", "amount": 8000.0},
        {"unit": "coop", "lot": "amb", "funding": "lump_sum", "amount": 990.0},
    ],
    "regional_cost": 20490.0,
    "cost_split": {
        "rule": "mixed",
        "amounts": [
            {"municipality": "ma", "amount": 3845.0},
            {"municipality": "mb", "amount": 10892.5},
            {"municipality": "mc", "amount": 5752.5},
        ],
    },
    "costs": {
        "contract_cost": 2500.0,
        "care_cost": 5550.0,
        "transfer_cost": 600.0,
        "quality_bonus": 427.0,
        "moved_clients": 6,
        "payouts": 17390.0,
    },
}

Edit = Callable[[dict[str, Any]], Any]


def _instance(edit: Edit | None = None) -> Instance:
    raw = copy.deepcopy(RAW)
    if edit is not None:
        edit(raw)
    return parse_instance(raw)


def _result(edit: Edit | None = None) -> dict[str, Any]:
    raw = copy.deepcopy(RESULT)
    if edit is not None:
        edit(raw)
    return raw


def _refresh(instance: Instance, raw: dict[str, Any]) -> Result:
    """The result with the checker's own money written in (see the module docstring)."""
    result = parse_result(raw)
    report = check(instance, result)
    assert report.objective is not None and report.split is not None
    funding = {lot.id: lot.funding for lot in instance.lots}
    return result.model_copy(
        update={
            "objective": report.objective,
            "bound": None,
            "costs": None,
            "regional_cost": report.regional_cost,
            "budgets": [
                Budget(unit=u, lot=lot, funding=funding[lot], amount=amount)
                for (u, lot), amount in report.budgets.items()
            ],
            "cost_split": CostSplitResult(
                rule=instance.policy.cost_split.rule,
                amounts=[
                    MunicipalityAmount(municipality=m, amount=a) for m, a in report.split.items()
                ],
            ),
        }
    )


def _rules(report: CheckReport) -> set[str]:
    return {v.rule for v in report.violations}


def _text(report: CheckReport) -> str:
    return "\n".join(str(v) for v in report.violations)


# ----------------------------------------------------------------------------------------------
# The hand-priced plan holds


def test_hand_made_plan_holds_with_hand_computed_money() -> None:
    report = check(_instance(), parse_result(RESULT))
    assert report.ok, _text(report)
    assert report.objective == pytest.approx(8223.0, abs=1e-9)
    assert report.regional_cost == pytest.approx(20490.0, abs=1e-9)
    assert report.budgets == pytest.approx(EXPECTED_BUDGETS, abs=1e-9)
    assert list(report.budgets) == list(EXPECTED_BUDGETS)  # DECISIONS 2 order
    assert report.split == EXPECTED_SPLIT


def test_tolerances_accept_float_noise_and_one_cent() -> None:
    def nudge(r: dict[str, Any]) -> None:
        r["objective"] += 0.005
        r["budgets"][0]["amount"] += 0.009
        r["cost_split"]["amounts"][0]["amount"] += 0.01  # within a cent of ours...
        r["cost_split"]["amounts"][1]["amount"] -= 0.01  # ...and still adding up exactly

    report = check(_instance(), parse_result(_result(nudge)))
    assert report.ok, _text(report)


@pytest.mark.parametrize(
    ("rule", "usage_weight", "expected"),
    [
        # usage = 4275, 11540, 4675; population = 3415, 10245, 6830 (see above).
        ("usage", None, {"ma": 4275.0, "mb": 11540.0, "mc": 4675.0}),
        ("population", None, {"ma": 3415.0, "mb": 10245.0, "mc": 6830.0}),
        # ¼ usage + ¾ population: ma 1068.75 + 2561.25 = 3630; mb 2885 + 7683.75 = 10568.75;
        # mc 1168.75 + 5122.5 = 6291.25.
        ("mixed", 0.25, {"ma": 3630.0, "mb": 10568.75, "mc": 6291.25}),
    ],
)
def test_split_rules(rule: str, usage_weight: float | None, expected: dict[str, float]) -> None:
    def edit(raw: dict[str, Any]) -> None:
        raw["policy"]["cost_split"] = {"rule": rule}
        if usage_weight is not None:
            raw["policy"]["cost_split"]["usage_weight"] = usage_weight

    report = check(_instance(edit), parse_result(RESULT))
    assert report.split == expected
    # The result still says mixed ½/½: other amounts, and another rule name unless mixed.
    assert _rules(report) == {"5 split amount"} | ({"5 split"} if rule != "mixed" else set())


def test_split_by_lot_and_largest_remainder() -> None:
    # Main rule population; lot amb split by key 1:1:2.
    # amb 5390 by key -> 1347.5, 1347.5, 2695; the rest 20490 - 5390 = 15100 by population
    # 1:3:2 -> 2516.666.., 7550, 5033.333..  => a = 3864.1666.., 8897.5, 7728.333..
    # Cents: floors 386416 + 889750 + 772833 = 2048999; the one cent left goes to ma (.67).
    def edit(raw: dict[str, Any]) -> None:
        raw["policy"]["cost_split"] = {
            "rule": "population",
            "by_lot": {"amb": {"rule": "key", "weights": {"ma": 1, "mb": 1, "mc": 2}}},
        }

    report = check(_instance(edit), parse_result(RESULT))
    assert report.split == {"ma": 3864.17, "mb": 8897.5, "mc": 7728.33}


def test_largest_remainder_ties_go_to_the_first_municipality() -> None:
    assert share_cents([1.0, 1.0, 1.0], 100) == [34, 33, 33]
    assert share_cents([0.0, 0.0], 5) == [3, 2]  # nothing to go by: equally
    assert share_cents([1.0, 2.0], 0) == [0, 0]


@pytest.mark.parametrize(
    ("funding", "extra", "expected"),
    [
        # fee for service: amount = care(u, amb) = zorg1 4000, coop 900.
        ("fee_for_service", {}, {"zorg1": 4000.0, "coop": 900.0}),
        # task based, budget 9800: 9800 × 4000/4900 = 8000, 9800 × 900/4900 = 1800.
        ("task_based", {"task_budget": 9800.0}, {"zorg1": 8000.0, "coop": 1800.0}),
    ],
)
def test_budgets_by_funding(funding: str, extra: dict[str, Any], expected: dict[str, float]):
    def edit(raw: dict[str, Any]) -> None:
        lot = raw["lots"][0]
        for key in ("risk_margin", "budget_cap"):
            lot.pop(key)
        lot.update(funding=funding, **extra)

    report = check(_instance(edit), parse_result(RESULT))
    assert report.budgets[("zorg1", "amb")] == pytest.approx(expected["zorg1"])
    assert report.budgets[("coop", "amb")] == pytest.approx(expected["coop"])


def test_shapley_split_checks_only_municipalities_and_sum() -> None:
    def edit(raw: dict[str, Any]) -> None:
        raw["policy"]["cost_split"] = {"rule": "shapley"}

    def amounts(r: dict[str, Any]) -> None:
        r["cost_split"] = {
            "rule": "shapley",
            "amounts": [
                {"municipality": "ma", "amount": 10000.0},
                {"municipality": "mb", "amount": 10000.0},
                {"municipality": "mc", "amount": 490.0},
            ],
        }

    instance = _instance(edit)
    report = check(instance, parse_result(_result(amounts)))
    assert report.ok, _text(report)
    assert report.split is None

    def short(r: dict[str, Any]) -> None:
        amounts(r)
        r["cost_split"]["amounts"][2]["amount"] = 489.99

    assert _rules(check(instance, parse_result(_result(short)))) == {"5 split sum"}


# ----------------------------------------------------------------------------------------------
# Each rule broken alone


def _set(path: list[Any], value: Any) -> Edit:
    def edit(raw: dict[str, Any]) -> None:
        target = raw
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _append(path: list[Any], value: Any) -> Edit:
    def edit(raw: dict[str, Any]) -> None:
        target = raw
        for key in path:
            target = target[key]
        target.append(value)

    return edit


def _both(*edits: Edit) -> Edit:
    def edit(raw: dict[str, Any]) -> None:
        for e in edits:
            e(raw)

    return edit


# (id, instance edit, result edit, expected rule, words the message must name)
PLAN_BREAKS = [
    (
        "provider in two units",
        None,
        _append(["contracts"], {"unit": "zorg6", "care_types": ["beg"]}),
        "2.1 one unit per provider",
        ["zorg6", "coop"],
    ),
    (
        "unknown unit in contracts",
        None,
        _append(["contracts"], {"unit": "ghost", "care_types": ["beg"]}),
        "2 contracts",
        ["ghost"],
    ),
    (
        "unit listed twice",
        None,
        _append(["contracts"], {"unit": "team3", "care_types": ["wt"]}),
        "2 contracts",
        ["team3"],
    ),
    (
        "care type listed twice",
        None,
        _set(["contracts", 0, "care_types"], ["beg", "beh", "beg"]),
        "2 contracts",
        ["zorg1", "beg"],
    ),
    (
        "unknown care type in contract",
        None,
        _set(["contracts", 1, "care_types"], ["wt", "yoga"]),
        "2 contracts",
        ["team3", "yoga"],
    ),
    (
        "contracted for a care type no member offers",
        None,
        _set(["contracts", 1, "care_types"], ["wt", "beg"]),
        "2 contracts",
        ["team3", "beg"],
    ),
    (
        "unit not contracted for the care type",
        None,
        _set(["contracts", 3, "care_types"], ["beg"]),
        "2.2 assignment",
        ["coop", "beh", "zorg5", "ma"],
    ),
    (
        "provider not a member of the unit",
        None,
        _set(["assignments", 4, "unit"], "zorg1"),
        "2.2 assignment",
        ["zorg6", "zorg1"],
    ),
    (
        "provider does not offer the care type",
        None,
        _set(["assignments", 6, "provider"], "zorg6"),
        "2.2 assignment",
        ["zorg6", "beh"],
    ),
    (
        "provider does not serve the municipality",
        _set(["providers", 3, "municipalities"], ["ma", "mc"]),
        None,
        "2.2 assignment",
        ["zorg6", "mb"],
    ),
    (
        "unknown municipality",
        None,
        _append(["assignments"], _a("zorg1", "zorg1", "mx", "beg", 1)),
        "2.2 assignment",
        ["mx"],
    ),
    (
        "unknown provider",
        None,
        _set(["assignments", 0, "provider"], "nobody"),
        "2.2 assignment",
        ["nobody"],
    ),
    (
        "clients zero",
        None,
        _append(["assignments"], _a("team3", "team3", "ma", "wt", 0)),
        "2 assignments",
        ["team3", "wt", "ma"],
    ),
    (
        "demand not met",
        _set(["demand", 0, "clients"], 11),
        None,
        "2.3 demand",
        ["demand for beg in ma is 11, assigned 10"],
    ),
    (
        "clients where demand is 0",
        None,
        _append(["assignments"], _a("team3", "team3", "mc", "wt", 1)),
        "2.3 demand",
        ["demand for wt in mc is 0, assigned 1"],
    ),
    (
        "capacity",
        _set(["providers", 0, "offers", 0, "capacity"], 27),
        None,
        "2.4 capacity",
        ["zorg1", "beg", "28", "27"],
    ),
    (
        "min_clients",
        _set(["providers", 0, "offers", 0, "min_clients"], 29),
        None,
        "2.4 min_clients",
        ["zorg1", "beg", "29"],
    ),
    (
        "coverage k",
        _set(["lots", 0, "min_providers"], 3),
        None,
        "2.5 coverage",
        ["beh in mb", "zorg1", "coop"],
    ),
    (
        "coverage of a population lot without demand",
        _both(  # nobody serves wt in mc, where there is no demand
            _set(["providers", 4, "municipalities"], ["ma"]),
            _set(["providers", 5, "municipalities"], ["mb"]),
        ),
        None,
        "2.5 coverage",
        ["wt in mc", "wijk"],
    ),
    (
        "policy max_contracts",
        _set(["policy", "max_contracts"], 3),
        None,
        "2.6 max_contracts",
        ["zorg1", "team3", "team4", "coop"],
    ),
    (
        "lot max_contracts",
        _set(["lots", 0, "max_contracts"], 1),
        None,
        "2.6 lot max_contracts",
        ["amb", "zorg1", "coop"],
    ),
    (
        "max_units_per_municipality",
        _set(["lots", 0, "max_units_per_municipality"], 1),
        None,
        "2.6 max_units_per_municipality",
        ["amb", "ma", "zorg1", "coop"],
    ),
    (
        "max_share",
        _set(["lots", 0, "max_share"], 0.75),  # zorg1 has 34 of 45 > 33.75
        None,
        "2.6 max_share",
        ["zorg1", "34", "45", "amb"],
    ),
    (
        "budget_cap",
        _set(["lots", 0, "budget_cap"], 5300.0),
        None,
        "2.7 budget_cap",
        ["amb", "5390.00", "5300.00"],
    ),
    (
        "task_budget",
        lambda raw: (
            raw["lots"][0].pop("risk_margin"),
            raw["lots"][0].update(funding="task_based", task_budget=4800.0),
        ),
        None,
        "2.7 task_budget",
        ["amb", "4900.00", "4800.00"],
    ),
    (
        "population_rate",
        _set(["lots", 1, "population_rate"], 2.0),  # ma: care 250 > 2 × 100
        None,
        "2.7 population_rate",
        ["wijk", "ma", "250.00", "200.00"],
    ),
]


@pytest.mark.parametrize(
    ("instance_edit", "result_edit", "rule", "words"),
    [case[1:] for case in PLAN_BREAKS],
    ids=[case[0] for case in PLAN_BREAKS],
)
def test_each_rule_broken_alone(
    instance_edit: Edit | None, result_edit: Edit | None, rule: str, words: list[str]
) -> None:
    instance = _instance(instance_edit)
    raw = _result(result_edit)
    result = parse_result(raw)
    report = check(instance, result)
    if report.objective is not None:  # a priced plan: refresh money so only `rule` can fire
        report = check(instance, _refresh(instance, raw))
    assert _rules(report) == {rule}, _text(report)
    text = _text(report)
    for word in words:
        assert word in text


def test_unpriceable_plan_leaves_money_unchecked() -> None:
    report = check(
        _instance(), parse_result(_result(_set(["assignments", 6, "provider"], "zorg6")))
    )
    assert report.objective is None and report.regional_cost is None and report.budgets == {}


MONEY_BREAKS = [
    ("objective", _set(["objective"], 8224.0), {"3 objective"}, ["8224.00", "8223.00"]),
    ("objective missing", _set(["objective"], None), {"3 objective"}, ["missing"]),
    ("cost part", _set(["costs", "care_cost"], 5551.0), {"3 costs"}, ["care_cost"]),
    ("moved clients", _set(["costs", "moved_clients"], 5), {"3 costs"}, ["moved_clients"]),
    ("bound above objective", _set(["bound"], 8300.0), {"6 bound"}, ["8300.00"]),
    ("budget amount", _set(["budgets", 3, "amount"], 991.0), {"4 budgets"}, ["coop", "amb"]),
    (
        "budget funding",
        _set(["budgets", 3, "funding"], "fee_for_service"),
        {"4 budgets"},
        ["coop", "lump_sum"],
    ),
    ("budget missing", lambda r: r["budgets"].pop(1), {"4 budgets"}, ["team3", "wijk"]),
    (
        "budget extra",
        _append(["budgets"], {"unit": "zorg2", "lot": "amb", "funding": "lump_sum", "amount": 0}),
        {"4 budgets"},
        ["zorg2", "amb"],
    ),
    ("budget order", lambda r: r["budgets"].reverse(), {"4 budgets"}, ["order"]),
    # The amounts add up to the reported regional cost, so a wrong one breaks the sum too.
    (
        "regional cost",
        _set(["regional_cost"], 20491.0),
        {"4 regional_cost", "5 split sum"},
        ["20491.00", "20490.00"],
    ),
    (
        "split sum",
        _set(["cost_split", "amounts", 0, "amount"], 3845.01),
        {"5 split sum"},
        ["20490.01"],
    ),
    (
        "split amount",
        _both(
            _set(["cost_split", "amounts", 0, "amount"], 3845.02),
            _set(["cost_split", "amounts", 1, "amount"], 10892.48),
        ),
        {"5 split amount"},
        ["ma", "mb", "3845.02", "3845.00"],
    ),
    (
        "split municipality missing",
        lambda r: r["cost_split"]["amounts"].pop(2),
        {"5 split"},
        ["mc"],
    ),
    (
        "split municipality twice",
        _append(["cost_split", "amounts"], {"municipality": "ma", "amount": 0.0}),
        {"5 split"},
        ["ma"],
    ),
    ("split rule", _set(["cost_split", "rule"], "usage"), {"5 split"}, ["usage", "mixed"]),
    ("split not in cents", _set(["cost_split", "amounts", 0, "amount"], 3845.004), {"5 split"}, []),
    ("regional cost missing", _set(["regional_cost"], None), {"4 regional_cost"}, ["missing"]),
]


@pytest.mark.parametrize(
    ("result_edit", "rules", "words"),
    [case[1:] for case in MONEY_BREAKS],
    ids=[case[0] for case in MONEY_BREAKS],
)
def test_each_amount_broken_alone(result_edit: Edit, rules: set[str], words: list[str]) -> None:
    report = check(_instance(), parse_result(_result(result_edit)))
    assert _rules(report) == rules, _text(report)
    for word in words:
        assert word in _text(report)


NO_PLAN = {"status": "infeasible", "explanation": ["demand for beg in mb is 20, capacity 15"]}
STATUS_CASES = [
    ("infeasible explained", NO_PLAN, set()),
    ("infeasible with a plan", {**NO_PLAN, "contracts": RESULT["contracts"]}, {"6 status"}),
    ("infeasible unexplained", {"status": "infeasible"}, {"6 status"}),
    ("no_solution", {"status": "no_solution"}, set()),
    (
        "no_solution with a plan",
        {"status": "no_solution", "assignments": RESULT["assignments"]},
        {"6 status"},
    ),
    (
        "invalid with errors",
        {"status": "invalid", "errors": [{"path": "x", "message": "y"}]},
        set(),
    ),
    ("invalid without errors", {"status": "invalid"}, {"6 status"}),
    ("infeasible with budgets", {**NO_PLAN, "budgets": RESULT["budgets"]}, {"6 status"}),
]


@pytest.mark.parametrize(
    ("raw", "rules"), [c[1:] for c in STATUS_CASES], ids=[c[0] for c in STATUS_CASES]
)
def test_status_rules(raw: dict[str, Any], rules: set[str]) -> None:
    report = check(_instance(), parse_result(raw))
    assert _rules(report) == rules, _text(report)
    assert report.objective is None and report.split is None


def test_raise_if_broken() -> None:
    report = check(_instance(), parse_result(_result(_set(["objective"], 1.0))))
    with pytest.raises(CheckFailed, match="3 objective"):
        report.raise_if_broken()
    check(_instance(), parse_result(RESULT)).raise_if_broken()


# ----------------------------------------------------------------------------------------------
# Reading result files


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (_set(["assignments", 0, "clients"], 2.5), "assignments[0].clients"),
        (_set(["assignments", 0, "clients"], "8"), "assignments[0].clients"),
        (_set(["status"], "solved"), "status"),
        (_set(["objective"], float("nan")), "objective"),
        (_set(["budgets", 0, "amount"], True), "budgets[0].amount"),
        (lambda r: r["contracts"][0].pop("unit"), "contracts[0].unit"),
    ],
)
def test_parse_result_names_the_path(edit: Edit, path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_result(_result(edit))
    assert caught.value.what == "result"
    assert path in [e.path for e in caught.value.errors]


def test_parse_result_rejects_non_objects() -> None:
    with pytest.raises(InvalidInput):
        parse_result([1, 2])


# ----------------------------------------------------------------------------------------------
# dekkend check


def _files(tmp_path: Any, result: Any) -> tuple[str, str]:
    inst, res = tmp_path / "instance.json", tmp_path / "result.json"
    inst.write_text(json.dumps(RAW))
    res.write_text(result if isinstance(result, str) else json.dumps(result))
    return str(inst), str(res)


def test_cli_exit_0_when_the_result_holds(tmp_path: Any) -> None:
    out = CliRunner().invoke(app, ["check", *_files(tmp_path, RESULT)])
    assert out.exit_code == 0, out.output
    assert "result holds" in out.output and "8,223.00" in out.output and "20,490.00" in out.output


def test_cli_exit_3_lists_every_violation(tmp_path: Any) -> None:
    broken = _result(_both(_set(["objective"], 1.0), _set(["regional_cost"], 5.0)))
    out = CliRunner().invoke(app, ["check", *_files(tmp_path, broken)])
    assert out.exit_code == 3, out.output
    assert "3 objective" in out.output and "4 regional_cost" in out.output
    assert "Traceback" not in out.output


def test_cli_says_first_when_the_result_is_for_another_instance(tmp_path: Any) -> None:
    other = {**RESULT, "instance": "groningen", "objective": 1.0}
    out = CliRunner().invoke(app, ["check", *_files(tmp_path, other)])
    assert out.exit_code == 3, out.output
    assert out.output.splitlines()[0] == "the result is for instance 'groningen', not 'tiny'"
    assert "3 objective" in out.output  # the violations are still listed
    # a result naming this instance, or none (older results), gets no such line
    for same in ({**RESULT, "instance": "tiny"}, RESULT):
        held = CliRunner().invoke(app, ["check", *_files(tmp_path, same)])
        assert held.exit_code == 0 and "the result is for instance" not in held.output


@pytest.mark.parametrize(
    ("content", "word"),
    [
        ("{not json", "not valid JSON"),
        (_result(_set(["assignments", 0, "clients"], 2.5)), "assignments[0].clients"),
    ],
)
def test_cli_exit_2_on_invalid_files(tmp_path: Any, content: Any, word: str) -> None:
    out = CliRunner().invoke(app, ["check", *_files(tmp_path, content)])
    assert out.exit_code == 2, out.output
    assert word in out.output and "Traceback" not in out.output


def test_cli_exit_2_names_both_broken_files(tmp_path: Any) -> None:
    inst, res = _files(tmp_path, "[]")
    (tmp_path / "instance.json").write_text(json.dumps({**RAW, "lots": "x"}))
    out = CliRunner().invoke(app, ["check", inst, res])
    assert out.exit_code == 2
    assert "invalid instance" in out.output and "invalid result" in out.output


def test_cli_exit_2_on_missing_file(tmp_path: Any) -> None:
    out = CliRunner().invoke(app, ["check", str(tmp_path / "no.json"), str(tmp_path / "no2.json")])
    assert out.exit_code == 2 and "cannot read" in out.output
