"""Small hand-made and seeded instances for the coalition game tests (Shapley, core, coalitions)."""

from __future__ import annotations

from typing import Any

import numpy as np

from solver.instance import Instance
from tests.builders import build_instance


def _instance(
    municipalities: list[tuple[str, int]],
    lots: list[dict[str, Any]],
    care_types: list[tuple[str, str]],
    demand: list[tuple[str, str, int]],
    providers: list[dict[str, Any]],
    policy: dict[str, Any] | None = None,
    consortia: list[dict[str, Any]] | None = None,
) -> Instance:
    return build_instance(
        name="game",
        municipalities=dict(municipalities),
        lots=lots,
        care_types=dict(care_types),
        demand={(m, c): k for m, c, k in demand},
        providers=providers,
        consortia=consortia,
        policy=policy or {"cost_split": {"rule": "shapley"}},
    )


def _offer(care: str, price: float, capacity: int = 100, **extra: Any) -> dict[str, Any]:
    return {"care_type": care, "capacity": capacity, "price": price, **extra}


def brute_force_game() -> Instance:
    """3 municipalities; X (contract 100, price 10) serves all, Y (free, price 20) serves C only.

    By hand: c(A)=110, c(B)=120, c(C)=60, c(AB)=130, c(AC)=140, c(BC)=150, c(ABC)=160;
    Shapley φ = (55, 65, 40); the regional cost is 160 (contract 100 + fee-for-service 60).
    """
    return _instance(
        [("A", 100), ("B", 200), ("C", 300)],
        [{"id": "l", "funding": "fee_for_service"}],
        [("c", "l")],
        [("A", "c", 1), ("B", "c", 2), ("C", "c", 3)],
        [
            {"id": "X", "contract_cost": 100.0, "offers": [_offer("c", 10.0)]},
            {"id": "Y", "contract_cost": 0.0, "municipalities": ["C"],
             "offers": [_offer("c", 20.0)]},
        ],
    )  # fmt: skip


def twin_game() -> Instance:
    """4 municipalities, A and A2 identical in every respect (symmetry axiom)."""
    return _instance(
        [("A", 50), ("A2", 50), ("B", 80), ("C", 10)],
        [{"id": "l", "funding": "lump_sum", "risk_margin": 0.05}],
        [("c", "l"), ("d", "l")],
        [("A", "c", 2), ("A2", "c", 2), ("B", "c", 3), ("B", "d", 1), ("C", "d", 4)],
        [
            {"id": "X", "contract_cost": 90.0, "offers": [_offer("c", 10.0), _offer("d", 15.0)]},
            {"id": "Y", "contract_cost": 40.0, "municipalities": ["A", "A2", "B"],
             "offers": [_offer("c", 25.0)]},
            {"id": "Z", "contract_cost": 30.0, "municipalities": ["B", "C"],
             "offers": [_offer("d", 5.0, capacity=3)]},
        ],
    )  # fmt: skip


def null_player_game(*, with_population_lot: bool) -> Instance:
    """A (1 client) and Z (no demand, no youth): Z's only cost is area cover in the population lot.

    With the population lot, Z needs W (contract 30) in every coalition: φ(Z) = 30, φ(A) = 110.
    Without it, Z adds nothing: φ(Z) = 0.
    """
    lots: list[dict[str, Any]] = [{"id": "l", "funding": "fee_for_service"}]
    care = [("c", "l")]
    x_offers = [_offer("c", 10.0)]
    providers: list[dict[str, Any]] = [
        {"id": "X", "contract_cost": 100.0, "municipalities": ["A"], "offers": x_offers}
    ]
    if with_population_lot:
        lots.append({"id": "p", "funding": "population_based", "population_rate": 0.0})
        care.append(("g", "p"))
        x_offers.append(_offer("g", 0.0))
        providers.append(
            {"id": "W", "contract_cost": 30.0, "municipalities": ["Z"], "offers": [_offer("g", 0)]}
        )
    return _instance([("A", 10), ("Z", 0)], lots, care, [("A", "c", 1)], providers)


def empty_core_game() -> Instance:
    """Facility location with an integrality gap: 3 municipalities, each provider serves a pair.

    c(i) = 2, c(pair) = 2, c(N) = 4 (two providers); the LP relaxation pays 3. The core is empty
    (pairs can pay at most 3 in all); least core ε = 2/3 at 4/3 each; Shapley 4/3 each.
    """
    pairs = [("AB", ["A", "B"]), ("BC", ["B", "C"]), ("AC", ["A", "C"])]
    return _instance(
        [("A", 1), ("B", 1), ("C", 1)],
        [{"id": "l", "funding": "fee_for_service"}],
        [("c", "l")],
        [("A", "c", 1), ("B", "c", 1), ("C", "c", 1)],
        [
            {"id": f"P{name}", "contract_cost": 2.0, "municipalities": ms,
             "offers": [_offer("c", 0.0)]}
            for name, ms in pairs
        ],
    )  # fmt: skip


def infeasible_alone_game() -> Instance:
    """Only X can serve, with min_clients 2: A and B (1 client each) cannot buy alone.

    In the full game, that is: the proportional game would halve X's minimum for each of them.
    """
    return _instance(
        [("A", 10), ("B", 10)],
        [{"id": "l", "funding": "fee_for_service"}],
        [("c", "l")],
        [("A", "c", 1), ("B", "c", 1)],
        [{"id": "X", "contract_cost": 10.0, "offers": [_offer("c", 5.0, min_clients=2)]}],
        policy={"cost_split": {"rule": "shapley", "capacity": "full"}},
    )


def seeded_region(
    n_municipalities: int, seed: int, *, rule: str = "shapley", rich: bool = True
) -> Instance:
    """A seeded region: three lots, several rules in play and a consortium (`rich`), or a plain
    one-lot region that solves in a few milliseconds per coalition."""
    rng = np.random.default_rng(seed)
    muns = [f"m{i}" for i in range(n_municipalities)]
    care = [("amb", "a"), ("jgz", "a"), ("spec", "s"), ("team", "p")]
    demand = [
        (m, c, int(rng.integers(1, 9)))
        for m in muns
        for c, _ in care
        if c != "team" and rng.random() < 0.8
    ]
    providers = []
    for j in range(7):
        served = sorted(rng.choice(muns, size=max(2, n_municipalities // 2 + 1), replace=False))
        offers = [
            _offer(c, float(rng.integers(20, 60)), capacity=int(rng.integers(15, 40)),
                   quality=float(rng.integers(3, 9)) / 10)
            for c, _ in care
            if rng.random() < 0.7 or c == "team"
        ]  # fmt: skip
        providers.append(
            {
                "id": f"p{j}",
                "contract_cost": float(rng.integers(50, 200)),
                "municipalities": [str(m) for m in served] if j > 1 else None,
                "access_cost": {str(m): float(rng.integers(0, 6)) for m in served[:2]},
                "offers": offers,
                "incumbent": [{"municipality": str(served[0]), "care_type": "amb", "clients": 2}]
                if any(o["care_type"] == "amb" for o in offers)
                else [],
            }
        )
    populations = [(m, int(rng.integers(100, 1000))) for m in muns]
    if not rich:
        plain = [c for c in care if c[1] == "a"]
        for p in providers:
            p["offers"] = [o for o in p["offers"] if o["care_type"] in ("amb", "jgz")]
            p["offers"] = p["offers"] or [_offer("amb", 30.0)]
        return _instance(
            populations, [{"id": "a", "funding": "lump_sum"}], plain,
            [d for d in demand if d[1] in ("amb", "jgz")], providers,
            policy={"transfer_cost": 7.0, "cost_split": {"rule": rule}},
        )  # fmt: skip
    return _instance(
        populations,
        [
            {"id": "a", "funding": "lump_sum", "risk_margin": 0.03},
            {"id": "s", "funding": "fee_for_service", "max_share": 0.9},
            {
                "id": "p",
                "funding": "population_based",
                "population_rate": 5.0,
                "max_units_per_municipality": 1,
            },
        ],  # fmt: skip
        care,
        demand,
        providers,
        policy={"transfer_cost": 7.0, "quality_weight": 2.0, "cost_split": {"rule": rule}},
        consortia=[{"id": "k", "lead": "p0", "members": ["p0", "p1"], "contract_cost": 120.0}],
    )
