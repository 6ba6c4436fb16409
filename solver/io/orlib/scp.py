"""OR-Library weighted set covering (scp4x..scp6x, scpa..scpe, scpnre..scpnrh) as SPEC instances.

File layout (tokens, 1-based): `m n` (rows, columns), the n column costs, then per row i: k_i and
the k_i columns that cover row i. The problem: min Σ c_j x_j such that every row has a chosen
column covering it, x binary.

The SPEC instance:
- row i → municipality `c{i:04}` with demand 1 of care type `care` (youth_population 1);
- column j → provider `f{j:03}` with contract_cost c_j, `municipalities` = the rows it covers, and
  one offer of `care`: capacity = the number of rows it covers (it can take all of them), price 0;
- one lot `all`, fee_for_service, min_providers 1, no max_contracts.

A feasible SPEC plan contracts a set of providers and sends each row's one client to a contracted
provider that serves it, i.e. a cover; it costs Σ contract_cost of the contracted, and every cover
is such a plan. So the optimum is the set-cover optimum. A row no column covers (k_i = 0) makes both
problems infeasible; a column listed twice for a row counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from solver.io.orlib.tokens import Tokens, ids, plain


@dataclass(frozen=True)
class ScpProblem:
    """A set-cover file as read: the (row, column) pairs, 0-based, sorted by column then row."""

    name: str
    rows: int
    cost: np.ndarray  # (n,) column costs
    pair_row: np.ndarray  # (nnz,) int64
    pair_col: np.ndarray  # (nnz,) int64


def read_scp(path: str | Path) -> ScpProblem:
    """Read an scp file (row-major: per row, the columns covering it)."""
    tokens = Tokens(path)
    m, n = tokens.header(2, ("the number of rows m", "the number of columns n"))
    if len(tokens) < 2 + n + m:  # each row needs at least its count k_i
        tokens.need(2 + n + m, f"m = {m} rows and n = {n} column costs (at least 2 + n + m)")
    cost = tokens.numbers(slice(2, 2 + n), lambda k: f"cost of column {k - 1}")
    start = 2 + n
    # Every token after the costs is a whole number: counts k_i ≥ 0, columns 1..n (checked below).
    body = tokens.numbers(
        slice(start, None), lambda k: "row data (a count or a column number)", integer=True
    )
    counts = np.empty(m, dtype=np.int64)
    heads = np.empty(m, dtype=np.int64)
    pos = 0
    for i in range(m):
        if pos >= len(body):
            raise tokens.fail(start + pos, f"the file ends early: rows {i + 1}..{m} are missing")
        heads[i] = pos
        counts[i] = int(body[pos])
        pos += 1 + counts[i]
    if pos != len(body):
        if pos > len(body):
            missing = (
                f"the file ends early: {pos - len(body)} column numbers of row {m} are missing"
            )
            raise tokens.fail(len(tokens), missing)
        raise tokens.fail(
            start + pos, f"unexpected data after row {m}, {tokens.found(start + pos)}"
        )
    is_column = np.ones(len(body), dtype=bool)
    is_column[heads] = False
    columns = body[is_column].astype(np.int64)
    bad = (columns < 1) | (columns > n)
    if bad.any():
        k = start + int(np.flatnonzero(is_column)[int(np.argmax(bad))])
        row = int(np.searchsorted(heads, k - start, side="right"))
        raise tokens.fail(k, f"row {row}: a column number must be 1..{n}, {tokens.found(k)}")
    pair_row = np.repeat(np.arange(m, dtype=np.int64), counts)
    key = np.unique((columns - 1) * m + pair_row)  # sorted by column, then row; repeats dropped
    return ScpProblem(tokens.path.stem, m, cost, key % m, key // m)


def scp_instance(problem: ScpProblem) -> dict[str, Any]:
    """The SPEC instance (raw JSON data) whose optimum is the file's set-cover optimum."""
    m, n = problem.rows, len(problem.cost)
    rows = ids("c", m, 4)
    keys = np.array(rows)
    bounds = np.searchsorted(problem.pair_col, np.arange(n + 1))
    served = keys[problem.pair_row].tolist()
    cost = plain(problem.cost)
    providers = [
        {
            "id": pid,
            "contract_cost": cost[j],
            "municipalities": served[bounds[j] : bounds[j + 1]],
            "offers": [
                {"care_type": "care", "capacity": int(bounds[j + 1] - bounds[j]), "price": 0}
            ],
        }
        for j, pid in enumerate(ids("f", n, 3))
    ]
    return {
        "schema_version": 1,
        "name": problem.name,
        "municipalities": [{"id": r, "youth_population": 1} for r in rows],
        "lots": [{"id": "all", "funding": "fee_for_service", "min_providers": 1}],
        "care_types": [{"id": "care", "lot": "all"}],
        "demand": [{"municipality": r, "care_type": "care", "clients": 1} for r in rows],
        "providers": providers,
    }
