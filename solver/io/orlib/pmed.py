"""OR-Library p-median (pmed1..pmed40) as SPEC instances.

File layout (tokens, 1-based vertices): `n e p`, then e edges `i j cost` of an undirected graph.
Distances as OR-Library defines them: an edge listed more than once keeps its LAST cost (taking the
minimum gives too-low optima, e.g. 5718 instead of 5819 on pmed1), then all-pairs shortest paths
(`scipy.sparse.csgraph`, Dijkstra from every vertex). The problem: choose exactly p vertices as
medians, minimise Σ_v min_{s chosen} d(s, v).

The SPEC instance:
- vertex v → municipality `c{v:04}` with demand 1 of care type `care` (youth_population 1), and
  provider `f{v:03}` with contract_cost 0, one offer of `care` (capacity n, which never binds,
  price 0) and access_cost[v][w] = d(v, w) (zeros left out: the SPEC default);
- one lot `all`, fee_for_service, min_providers 1; policy.max_contracts = p.

"At most p" has the same optimum as "exactly p": contracts cost nothing, so adding medians up to p
never raises the objective (p ≤ n is checked). A vertex another cannot reach (a disconnected graph)
is left out of that provider's `municipalities`, which keeps the instance exact; the files are
connected, so there every provider serves all. Distances are sums of the file's costs: whole
numbers in every OR-Library file, written as JSON integers, so the objective is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from solver.io.orlib.tokens import Describe, Tokens, ids, sparse_row


@dataclass(frozen=True)
class PmedProblem:
    """A p-median file as read, with its distance matrix."""

    name: str
    p: int
    distance: np.ndarray  # (n, n) shortest-path distances; inf where unreachable


def read_pmed(path: str | Path) -> PmedProblem:
    """Read a pmed file and compute all-pairs shortest paths (last cost of a repeated edge wins)."""
    tokens = Tokens(path)
    n, e, p = tokens.header(3, ("the number of vertices n", "the number of edges", "p"))
    tokens.need(3 + 3 * e, f"{e} edges (3 + 3 × edges)")
    if p > n:
        raise tokens.fail(2, f"p = {p} medians, but the graph has only n = {n} vertices")

    def edge(k: int) -> str:
        number, field = divmod(k - 3, 3)
        return f"edge {number + 1}: {('first vertex', 'second vertex', 'cost')[field]}"

    first = tokens.numbers(slice(3, None, 3), edge, integer=True, low=1)
    second = tokens.numbers(slice(4, None, 3), edge, integer=True, low=1)
    ends = np.stack([first, second], axis=1)
    if (ends > n).any():
        raise _bad_vertex(tokens, ends, n, edge)
    cost = tokens.numbers(slice(5, None, 3), edge)
    i, j = ends[:, 0].astype(np.int64) - 1, ends[:, 1].astype(np.int64) - 1
    return PmedProblem(tokens.path.stem, p, _distances(n, i, j, cost))


def _bad_vertex(tokens: Tokens, ends: np.ndarray, n: int, edge: Describe) -> Exception:
    """The error for the first vertex number above n."""
    row, col = np.argwhere(ends > n)[0]
    k = 3 + 3 * int(row) + int(col)
    return tokens.fail(k, f"{edge(k)}: must be a vertex 1..{n}, {tokens.found(k)}")


def _distances(n: int, i: np.ndarray, j: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """All-pairs shortest paths; of repeated edges {i, j} the last one in file order counts."""
    keep = i != j  # a loop never shortens a path
    i, j, cost = i[keep], j[keep], cost[keep]
    low, high = np.minimum(i, j), np.maximum(i, j)
    pair = low * n + high
    # np.unique returns the first occurrence: look at the edges backwards to keep the last one.
    _, first_from_end = np.unique(pair[::-1], return_index=True)
    last = len(pair) - 1 - first_from_end
    low, high, cost = low[last], high[last], cost[last]
    # Both directions, no duplicates left, so csr does not add costs up; an explicit 0 is an edge.
    graph = csr_matrix(
        (np.concatenate([cost, cost]), (np.concatenate([low, high]), np.concatenate([high, low]))),
        shape=(n, n),
    )
    return shortest_path(graph, method="D", directed=True)


def pmed_instance(problem: PmedProblem) -> dict[str, Any]:
    """The SPEC instance (raw JSON data) whose optimum is the file's p-median optimum."""
    n = problem.distance.shape[0]
    vertices = ids("c", n, 4)
    keys = np.array(vertices)
    reachable = np.isfinite(problem.distance)
    providers = []
    for v, pid in enumerate(ids("f", n, 3)):
        row = problem.distance[v]
        provider: dict[str, Any] = {"id": pid, "contract_cost": 0}
        if not reachable[v].all():
            provider["municipalities"] = keys[reachable[v]].tolist()
            row = np.where(reachable[v], row, 0.0)
        provider["offers"] = [{"care_type": "care", "capacity": n, "price": 0}]
        provider["access_cost"] = sparse_row(keys, row)
        providers.append(provider)
    return {
        "schema_version": 1,
        "name": problem.name,
        "municipalities": [{"id": c, "youth_population": 1} for c in vertices],
        "lots": [{"id": "all", "funding": "fee_for_service", "min_providers": 1}],
        "care_types": [{"id": "care", "lot": "all"}],
        "demand": [{"municipality": c, "care_type": "care", "clients": 1} for c in vertices],
        "providers": providers,
        "policy": {"max_contracts": problem.p},
    }
