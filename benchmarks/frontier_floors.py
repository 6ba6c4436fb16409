"""Floors of issue 21's missed targets, measured on the OR-Library files themselves.

`python -m benchmarks.frontier_floors set-cover scpnre1 [SECONDS]`: the LP bound of the compact
set-cover model, the columns and rows that dominance would remove, the columns LP reduced-cost
fixing leaves against the known optimum, and HiGHS's bound after SECONDS on the model before and
after that fixing.

`python -m benchmarks.frontier_floors transport capb 7000`: seconds of one transportation LP (the
subproblem a capacitated Benders decomposition solves per master point) cold, and warm after
changing which facilities are open.

HiGHS is called directly on arrays built from the file (no dekkend layer), one thread; these are
measurements for `benchmarks/RESULTS.md`, not a solver.
"""

from __future__ import annotations

import sys
import time

import highspy
import numpy as np
import scipy.sparse as sp

from solver.io.orlib import default_shared_dir, known_optimum, read_cap, read_scp

_INF = highspy.kHighsInf


def _highs(seconds: float) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(seconds))
    return h


def _covering(
    a: sp.csc_matrix, cost: np.ndarray, seconds: float, *, integer: bool
) -> highspy.Highs:
    """min cost·x, A x ≥ 1, 0 ≤ x ≤ 1 (integer or not), solved."""
    rows, cols = a.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = cols, rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, np.zeros(cols), np.ones(cols)
    lp.row_lower_, lp.row_upper_ = np.ones(rows), np.full(rows, _INF)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(np.float64)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * cols
    h = _highs(seconds)
    h.passModel(lp)
    h.run()
    return h


def _dominated(a: sp.csc_matrix, cost: np.ndarray) -> tuple[int, int]:
    """Columns covered by a cheaper (or equal, earlier) column; rows implied by another row."""
    size = np.asarray(a.sum(axis=0)).ravel()
    inside = (a.T @ a).toarray() >= size[:, None] - 0.5  # rows(j) ⊆ rows(k)
    np.fill_diagonal(inside, False)
    index = np.arange(len(cost))
    twin = (cost[None, :] == cost[:, None]) & (size[None, :] == size[:, None])
    columns = (
        inside & (cost[None, :] <= cost[:, None]) & ~(twin & (index[None, :] > index[:, None]))
    )
    r = a.tocsr()
    length = np.asarray(r.sum(axis=1)).ravel()
    within = (r @ r.T).toarray() >= length[:, None] - 0.5  # cols(i) ⊆ cols(k): row k is implied
    np.fill_diagonal(within, False)
    order = np.arange(len(length))
    same = (length[:, None] == length[None, :]) & (order[:, None] > order[None, :])
    return int(columns.any(axis=1).sum()), int((within & ~same).any(axis=0).sum())


def set_cover(name: str, seconds: float) -> None:
    """Print the set-cover floor of one scp file."""
    problem = read_scp(default_shared_dir() / "scp" / f"{name}.txt")
    cost = problem.cost.astype(np.float64)
    shape = (problem.rows, len(cost))
    ones = np.ones(len(problem.pair_row))
    a = sp.csc_matrix((ones, (problem.pair_row, problem.pair_col)), shape=shape)
    optimum = known_optimum("scp", name)
    lp = _covering(a, cost, seconds, integer=False)
    bound = lp.getInfo().objective_function_value
    print(
        f"{name}: {shape[0]} rows, {shape[1]} columns, density {a.nnz / (shape[0] * shape[1]):.3f}"
    )
    print(f"LP bound {bound:.2f}, known optimum {optimum}")
    columns, rows = _dominated(a, cost)
    print(f"dominated: {columns} of {shape[1]} columns, {rows} of {shape[0]} rows")
    for label, keep in (("all columns", np.ones(len(cost), dtype=bool)), ("after fixing", None)):
        if keep is None:
            if optimum is None:
                continue
            reduced = np.asarray(lp.getSolution().col_dual)
            keep = bound + reduced < optimum - 1 + 1e-6  # a better cover costs ≤ optimum − 1
        started = time.monotonic()
        mip = _covering(a[:, keep], cost[keep], seconds, integer=True)
        info = mip.getInfo()
        status = mip.modelStatusToString(mip.getModelStatus())
        print(
            f"HiGHS, {label} ({int(keep.sum())} columns): "
            f"{status}, plan {info.objective_function_value:g}"
            f", bound {info.mip_dual_bound:g}, {info.mip_node_count} nodes, "
            f"{time.monotonic() - started:.1f} s"
        )


def transport(stem: str, capacity: int, trials: int = 8, seed: int = 0) -> None:
    """Print the seconds of the transportation LP of one cap file, cold and warm."""
    problem = read_cap(default_shared_dir() / "cap" / f"{stem}.txt", capacity=capacity)
    supply, demand = problem.capacity, problem.demand
    per_unit = problem.alloc_cost / demand[None, :]
    m, n = per_unit.shape
    flows = np.arange(m * n, dtype=np.int32)
    h = _highs(60)
    full = np.tile(demand, m)
    h.addVars(m * n, np.zeros(m * n), full)
    h.changeColsCost(m * n, flows, per_unit.ravel())
    customer, facility = flows % n, flows // n
    rows = sp.vstack(
        [
            sp.csr_matrix((np.ones(m * n), (customer, flows)), shape=(n, m * n)),
            sp.csr_matrix((np.ones(m * n), (facility, flows)), shape=(m, m * n)),
        ]
    ).tocsr()
    h.addRows(n + m, np.r_[demand, np.full(m, -_INF)], np.r_[demand, supply], rows.nnz,
              rows.indptr[:-1].astype(np.int32), rows.indices.astype(np.int32),
              rows.data)  # fmt: skip

    def solve(open_: np.ndarray) -> float:
        h.changeColsBounds(m * n, flows, np.zeros(m * n), full * np.repeat(open_, n))
        for i in range(m):
            h.changeRowBounds(n + i, -_INF, float(supply[i] * open_[i]))
        started = time.monotonic()
        h.run()
        return time.monotonic() - started

    print(f"{stem}-{capacity}: {m} facilities x {n} customers ({m * n} flows)")
    print(f"all open, cold: {solve(np.ones(m)):.3f} s")
    rng = np.random.default_rng(seed)
    times = []
    for _ in range(trials):
        open_ = (rng.random(m) < 0.5).astype(np.float64)
        while supply @ open_ < demand.sum():
            open_[rng.integers(m)] = 1.0
        times.append(solve(open_))
    print(f"warm, about half open: {min(times):.3f}–{max(times):.3f} s over {trials} solves")


def main(argv: list[str]) -> int:
    """Entry point: `set-cover NAME [SECONDS]` or `transport STEM CAPACITY`."""
    if argv[:1] == ["set-cover"] and len(argv) in (2, 3):
        set_cover(argv[1], float(argv[2]) if len(argv) == 3 else 60.0)
        return 0
    if argv[:1] == ["transport"] and len(argv) == 3:
        transport(argv[1], int(argv[2]))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
