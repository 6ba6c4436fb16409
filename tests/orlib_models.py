"""Independent models for test_orlib.py: the original OR-Library problems and a small SPEC MILP.

They share no code with `solver.io.orlib` or the solver: each original problem is parsed here by
hand from whitespace tokens and modelled as the OR-Library README states it; `spec_optimum` models
only the SPEC rules the converted instances use. All are solved with scipy's `milp` (HiGHS).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from solver.instance import parse_instance


def _milp(c, rows, lo, hi, integrality, upper=None) -> float:
    """Solve min c·x, lo ≤ A x ≤ hi, 0 ≤ x ≤ upper with HiGHS via scipy; return the optimum."""
    a = sp.csr_matrix(rows)
    bounds = Bounds(np.zeros(len(c)), upper if upper is not None else np.full(len(c), np.inf))
    res = milp(
        c,
        constraints=LinearConstraint(a, lo, hi),
        integrality=integrality,
        bounds=bounds,
        options={"mip_rel_gap": 1e-9, "time_limit": 60},
    )
    assert res.status == 0, res.message
    return float(res.fun)


def original_cap(path: Path) -> float:
    """Splittable-demand CFLP of README §1.3, parsed here by hand from whitespace tokens."""
    t = path.read_text().split()
    m, n = int(t[0]), int(t[1])
    s = np.array([float(t[2 + 2 * i]) for i in range(m)])
    f = np.array([float(t[3 + 2 * i]) for i in range(m)])
    block = np.array(t[2 + 2 * m :], dtype=float).reshape(n, m + 1)
    d, c = block[:, 0], block[:, 1:].T  # c[i, j]
    ny = m
    x = lambda i, j: ny + i * n + j  # noqa: E731
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0
    for j in range(n):  # Σ_i x_ij = 1
        for i in range(m):
            rows.append(r), cols.append(x(i, j)), vals.append(1.0)
        lo.append(1), hi.append(1)
        r += 1
    for i in range(m):  # Σ_j d_j x_ij − s_i y_i ≤ 0
        for j in range(n):
            rows.append(r), cols.append(x(i, j)), vals.append(d[j])
        rows.append(r), cols.append(i), vals.append(-s[i])
        lo.append(-np.inf), hi.append(0)
        r += 1
    for i in range(m):  # x_ij ≤ y_i
        for j in range(n):
            rows += [r, r]
            cols += [x(i, j), i]
            vals += [1.0, -1.0]
            lo.append(-np.inf), hi.append(0)
            r += 1
    a = sp.coo_matrix((vals, (rows, cols)), shape=(r, ny + m * n))
    cost = np.concatenate([f, c.ravel()])
    integrality = np.r_[np.ones(ny), np.zeros(m * n)]
    return _milp(cost, a, lo, hi, integrality, np.ones(ny + m * n))


def original_pmed(path: Path) -> float:
    """p-median of README §2: last repeated edge wins, Floyd-Warshall, exactly p medians."""
    t = [int(w) for w in path.read_text().split()]
    n, e, p = t[:3]
    d = np.full((n, n), np.inf)
    np.fill_diagonal(d, 0)
    for k in range(e):
        i, j, w = t[3 + 3 * k : 6 + 3 * k]
        d[i - 1, j - 1] = d[j - 1, i - 1] = w
    for k in range(n):
        d = np.minimum(d, d[:, [k]] + d[[k], :])
    # y_s (n), x_sv (n*n): Σ_s x_sv = 1, x_sv ≤ y_s, Σ y = p.
    eye = sp.identity(n, format="csr")
    assign = sp.hstack([sp.csr_matrix((n, n)), sp.kron(np.ones((1, n)), eye)])
    link = sp.hstack([-sp.kron(eye, np.ones((n, 1))), sp.identity(n * n)])
    count = sp.hstack([np.ones((1, n)), sp.csr_matrix((1, n * n))])
    a = sp.vstack([assign, link, count])
    lo = np.r_[np.ones(n), -np.inf * np.ones(n * n), p]
    hi = np.r_[np.ones(n), np.zeros(n * n), p]
    cost = np.r_[np.zeros(n), d.ravel()]
    return _milp(cost, a, lo, hi, np.r_[np.ones(n), np.zeros(n * n)], np.ones(n + n * n))


def original_scp(path: Path) -> float:
    """Weighted set cover of README §3."""
    t = [int(w) for w in path.read_text().split()]
    m, n = t[:2]
    cost = np.array(t[2 : 2 + n], dtype=float)
    pos, rows, cols = 2 + n, [], []
    for i in range(m):
        k = t[pos]
        rows += [i] * k
        cols += [c - 1 for c in t[pos + 1 : pos + 1 + k]]
        pos += 1 + k
    a = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(m, n)).tocsr()
    a.data[:] = 1.0  # a column listed twice for a row still covers it once
    return _milp(cost, a, np.ones(m), np.full(m, np.inf), np.ones(n), np.ones(n))


def spec_optimum(raw: dict) -> float:
    """SPEC §2-§3 optimum of a converted instance, for the rules these instances use.

    Variables: y_p (provider contracted), x_pmc (clients of c from m at p) for served m and offered
    c. Demand met exactly, capacity, x ≤ demand × y, Σ y ≤ max_contracts; objective contract cost +
    clients × (price + access_cost). Refuses instances with anything else in them.
    """
    inst = parse_instance(raw)
    assert not inst.consortia and len(inst.lots) == 1
    assert inst.lots[0].funding == "fee_for_service" and inst.lots[0].min_providers == 1
    assert inst.lots[0].max_contracts is None and inst.lots[0].max_share is None
    assert inst.policy.transfer_cost == 0 and inst.policy.quality_weight == 0
    assert all(
        not p.incumbent and all(o.min_clients == 0 for o in p.offers) for p in inst.providers
    )
    demand = {(d.municipality, d.care_type): d.clients for d in inst.demand if d.clients}
    n_p = len(inst.providers)
    cost = [p.contract_cost for p in inst.providers]
    integrality = [1] * n_p
    upper = [1.0] * n_p
    rows, cols, vals, lo, hi = [], [], [], [], []
    by_cell: dict[tuple[str, str], list[int]] = {}
    r = 0
    for pi, p in enumerate(inst.providers):
        served = set(p.municipalities) if p.municipalities is not None else None
        for o in p.offers:
            cap_cols = []
            for (m, c), q in demand.items():
                if c != o.care_type or (served is not None and m not in served):
                    continue
                v = len(cost)
                cost.append(o.price + p.access_cost.get(m, 0.0))
                integrality.append(1)
                upper.append(float(q))
                by_cell.setdefault((m, c), []).append(v)
                cap_cols.append(v)
                rows += [r, r]  # x ≤ q y
                cols += [v, pi]
                vals += [1.0, -float(q)]
                lo.append(-np.inf), hi.append(0)
                r += 1
            rows += [r] * (len(cap_cols) + 1)  # Σ x ≤ capacity × y
            cols += [*cap_cols, pi]
            vals += [1.0] * len(cap_cols) + [-float(o.capacity)]
            lo.append(-np.inf), hi.append(0)
            r += 1
    for cell, q in demand.items():
        rows += [r] * len(by_cell.get(cell, []))
        cols += by_cell.get(cell, [])
        vals += [1.0] * len(by_cell.get(cell, []))
        lo.append(q), hi.append(q)
        r += 1
    if inst.policy.max_contracts is not None:
        rows += [r] * n_p
        cols += list(range(n_p))
        vals += [1.0] * n_p
        lo.append(0), hi.append(inst.policy.max_contracts)
        r += 1
    a = sp.coo_matrix((vals, (rows, cols)), shape=(r, len(cost)))
    return _milp(np.array(cost), a, lo, hi, np.array(integrality), np.array(upper))
