"""Near-optimal alternatives: other contract sets whose objective is within a margin of the optimum.

After the optimum, each round adds a no-good cut on the unit variables z (unit u contracted)
that excludes every set of contracted units found so far, plus one row keeping the objective
within the margin, and solves again: so the alternatives come out ranked, cheapest first, each
with a different set of contracted units. (Cuts on y, the (unit, care type) pairs, would mostly
yield the same plan with an unused care type added to a contract, which costs nothing.) Every
plan is recomputed and checked by the independent checker like a plan of `solve()`.

Status (SPEC §6: `optimal` = proven optimal): an alternative is a plan of the instance, so the
optimum's bound holds for it too; it carries that bound and its own gap to it, and is `optimal`
only when that gap proves it as cheap as the optimum (a tie), else `feasible`. Its note says
which alternative it is and how far above the optimum.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import scipy.sparse as sp

from solver.backends.highs.backend import run_mip
from solver.check import check
from solver.instance import Instance
from solver.model.data import build_data
from solver.model.families import Z
from solver.model.formulation import build_model
from solver.model.matrix import MatrixModel
from solver.model.variants import add_rows
from solver.options import SolveOptions
from solver.result import Result, Status
from solver.solve import plan_result, solve
from solver.split.game.play import WITHIN_SOLVE, GameSettings

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
    instance: Instance,
    options: SolveOptions,
    k: int,
    within: float,
    *,
    game: GameSettings = WITHIN_SOLVE,
) -> list[Result]:
    """The optimum first, then up to `k` other contract sets within `within` (relative) of it.

    Fewer than `k` come back when no more contract sets fit in the margin (or time runs out).
    A game split rule plays its game under `game` for every plan, as `solve` does.
    """
    best = solve(instance, options=options, game=game)
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
    ranked = best.status is Status.OPTIMAL  # every plan so far proven the cheapest left
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
            status=Status.FEASIBLE,
            bound=best.bound,  # a bound of every plan of the instance, this one included
            runtime=time.monotonic() - started,
            backend="highs",
            notes=[],
            time_limit_s=options.time_limit_s,
            game=game,
        )
        check(instance, result).raise_if_broken()
        if result.objective is None or result.objective > limit * (1 + 1e-9) + 1e-6:
            break
        ranked = ranked and outcome.status is Status.OPTIMAL
        found.append(_labelled(result, best, len(found), within, ranked, options.gap))
        chosen = outcome.values[model.blocks[Z]] > 0.5
    return found


def _labelled(
    result: Result, best: Result, rank: int, within: float, ranked: bool, gap: float
) -> Result:
    """Alternative #`rank` with its honest status and a note saying what it is.

    `ranked`: the optimum and every solve up to this one were proven, so this is the
    (`rank` + 1)-th cheapest set of contracted units.
    """
    assert result.objective is not None and best.objective is not None
    proven = best.status is Status.OPTIMAL
    tie = proven and result.gap is not None and result.gap <= gap
    above = (result.objective - best.objective) / max(abs(best.objective), 1e-9)
    reference = "the optimum" if proven else "the best plan found"
    if ranked:
        what = f"the {_ordinal(rank + 1)}-cheapest set of contracted units"
    else:
        # a solve stopped early: a cheaper other contract set may exist
        what = "a plan with another set of contracted units (not proven the next-cheapest)"
    note = (
        f"alternative #{rank} (dekkend solve --alternatives): {what}, {above:+.4%} on "
        f"{reference}, within the margin of {within:.2%}"
    )
    if result.bound is not None:
        note += (
            f"; its bound is that of {reference} (it bounds every plan), its gap the distance to it"
        )
    status = Status.OPTIMAL if tie else Status.FEASIBLE
    return result.model_copy(update={"status": status, "notes": [*result.notes, note]})


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _exclude(model: MatrixModel, chosen: np.ndarray) -> MatrixModel:
    """No-good cut: Σ_{u∉S} z_u − Σ_{u∈S} z_u ≥ 1 − |S| (at least one unit differs)."""
    row = np.zeros(model.n_cols)
    row[model.blocks[Z]] = np.where(chosen, -1.0, 1.0)
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
    what = "optimum" if best.status is Status.OPTIMAL else "best plan found (not proven optimal)"
    lines = [f"#0 {what}: objective €{best.objective:,.2f}, {len(best.contracts)} contracts"]
    for rank, other in enumerate(results[1:], start=1):
        diff = differences(best, other)
        added = "; ".join(f"{u} ({c})" for u, c in diff["added"]) or "nobody"
        dropped = "; ".join(f"{u} ({c})" for u, c in diff["dropped"]) or "nobody"
        lines.append(
            f"#{rank}: {other.status.value}, objective €{other.objective:,.2f} "
            f"(+€{diff['objective_delta']:,.2f}, +{diff['relative']:.3%}), "
            f"{diff['contracts']} contracts; adds {added}; drops {dropped}"
        )
    return lines
