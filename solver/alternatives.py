"""Near-optimal alternatives: other contract sets whose objective is within a margin of the optimum.

After the optimum, each round adds a no-good cut on the unit variables z (unit u contracted)
that excludes every set of contracted units found so far, plus one row keeping the objective
within the margin, and solves again: so the alternatives come out ranked, cheapest first, each
with a different set of contracted units. (Cuts on y, the (unit, care type) pairs, would mostly
yield the same plan with an unused care type added to a contract, which costs nothing.) Every
plan is recomputed and checked by the independent checker like a plan of `solve()`.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import scipy.sparse as sp

from solver.check import check
from solver.data import build_data
from solver.formulation import MatrixModel, build_model
from solver.instance import Instance
from solver.model_ops import add_rows, run_mip
from solver.options import SolveOptions
from solver.result import Result
from solver.solve import plan_result, solve

log = logging.getLogger(__name__)


def parse_margin(text: str) -> float:
    """'1%' -> 0.01, '0.01' -> 0.01; ValueError when it is not a margin ≥ 0."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100.0 if raw.endswith("%") else float(raw)
    except ValueError:
        raise ValueError(f"a margin is a number or a percentage like 1%, not {text!r}") from None
    if not 0 <= value < 10 or value != value:
        raise ValueError(f"a margin must be between 0 and 1000%, not {text!r}")
    return value


def find_alternatives(
    instance: Instance, options: SolveOptions, k: int, within: float
) -> list[Result]:
    """The optimum first, then up to `k` other contract sets within `within` (relative) of it.

    Fewer than `k` come back when no more contract sets fit in the margin (or time runs out).
    """
    best = solve(instance, options=options)
    if not best.status.has_solution or best.objective is None or k <= 0:
        return [best]
    data = build_data(instance)
    model = build_model(data)
    limit = best.objective + within * abs(best.objective)
    cap = sp.csr_matrix(model.cost.reshape(1, -1))
    model = add_rows(model, cap, [-np.inf], [limit + 1e-6 * max(1.0, abs(limit))], "within")
    # z covers the units that can be contracted at all, in unit order
    z_units = [data.unit_ids[int(u)] for u in np.unique(data.option_unit)]
    contracted = {c.unit for c in best.contracts}
    chosen = np.array([u in contracted for u in z_units], dtype=np.bool_)
    found = [best]
    while len(found) <= k:
        model = _exclude(model, chosen)
        started = time.monotonic()
        outcome = run_mip(model, options)
        if outcome.values is None:
            log.info("no further contract set within the margin (%s)", outcome.status.value)
            break
        result = plan_result(
            instance,
            data,
            model,
            outcome.values,
            status=outcome.status,
            bound=None,
            runtime=time.monotonic() - started,
            backend="highs",
            notes=["a near-optimal alternative (dekkend solve --alternatives)"],
            time_limit_s=options.time_limit_s,
        )
        check(instance, result).raise_if_broken()
        if result.objective is None or result.objective > limit * (1 + 1e-9) + 1e-6:
            break
        found.append(result)
        chosen = outcome.values[model.blocks["z"]] > 0.5
    return found


def _exclude(model: MatrixModel, chosen: np.ndarray) -> MatrixModel:
    """No-good cut: Σ_{u∉S} z_u − Σ_{u∈S} z_u ≥ 1 − |S| (at least one unit differs)."""
    row = np.zeros(model.n_cols)
    row[model.blocks["z"]] = np.where(chosen, -1.0, 1.0)
    return add_rows(model, sp.csr_matrix(row), [1.0 - chosen.sum()], [np.inf], "no_good")


def contract_pairs(result: Result) -> set[tuple[str, str]]:
    """The (unit, care type) contracts of a result."""
    return {(c.unit, care) for c in result.contracts for care in c.care_types}


def differences(best: Result, other: Result) -> dict:
    """What an alternative changes against the optimum: units added and dropped, cost."""
    mine = {c.unit: c.care_types for c in best.contracts}
    theirs = {c.unit: c.care_types for c in other.contracts}
    delta = (other.objective or 0.0) - (best.objective or 0.0)
    return {
        "added": sorted((u, ", ".join(theirs[u])) for u in theirs.keys() - mine.keys()),
        "dropped": sorted((u, ", ".join(mine[u])) for u in mine.keys() - theirs.keys()),
        "objective_delta": delta,
        "relative": delta / abs(best.objective) if best.objective else 0.0,
        "contracts": len(other.contracts),
    }


def format_alternatives(results: list[Result]) -> list[str]:
    """One line per alternative: rank, objective, +/− against the optimum, what differs."""
    if not results or not results[0].status.has_solution:
        return []
    best = results[0]
    lines = [f"#0 optimum: objective €{best.objective:,.2f}, {len(best.contracts)} contracts"]
    for rank, other in enumerate(results[1:], start=1):
        diff = differences(best, other)
        added = "; ".join(f"{u} ({c})" for u, c in diff["added"]) or "nobody"
        dropped = "; ".join(f"{u} ({c})" for u, c in diff["dropped"]) or "nobody"
        lines.append(
            f"#{rank}: objective €{other.objective:,.2f} (+€{diff['objective_delta']:,.2f}, "
            f"+{diff['relative']:.3%}), {diff['contracts']} contracts; adds {added}; "
            f"drops {dropped}"
        )
    return lines
