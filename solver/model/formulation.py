"""SPEC §2–§3 as one integer linear model in array form, shared by every backend.

Variables (all integer; blocks in this order):
- `x[r]`    clients on assignment row r = (u, p, m, c), 0 ≤ x ≤ min(capacity, demand)
- `y[j]`    1 when unit u is contracted for care type c, j = (u, c)
- `z[u]`    1 when unit u is contracted (for any care type)
- `moved[i]` incumbent clients of record i who move (only when transfer_cost > 0)
- `w[u, l]` 1 when unit u holds a care type of lot l (only for lots with `max_contracts`)
- `v[u, m, l]` 1 when unit u has clients of lot l in m (only for `max_units_per_municipality`)

Every rule is a block of rows `lo ≤ A x ≤ hi` added by one `_add_*` method. Budgets whose value
does not depend on the plan (a task budget paid out whole, a population budget) are not rows: the
diagnosis checks them before any model is built.
"""

from __future__ import annotations

import numpy as np

from solver.model.continuity import (
    add_max_moved,
    add_n_minus_1,
    add_open_house,
    member_min_clients,
)
from solver.model.data import IntArray, ModelData
from solver.model.families import (
    ASSIGNMENT_BOUND,
    BUDGET_CAP,
    CAPACITY,
    CONTRACT_LINK,
    CONTRACT_NEEDS_CARE_TYPE,
    COVERAGE,
    DEMAND,
    LOT_CONTRACT_LINK,
    LOT_MAX_CONTRACTS,
    MAX_CONTRACTS,
    MAX_SHARE,
    MAX_UNITS_PER_MUNICIPALITY,
    MIN_CLIENTS,
    MOVED,
    MOVED_CLIENTS,
    MOVED_UNLESS_CONTRACTED,
    ONE_UNIT_PER_PROVIDER,
    POPULATION_BUDGET,
    TASK_BUDGET,
    UNIT_IN_MUNICIPALITY,
    V,
    W,
    X,
    Y,
    Z,
    per_lot,
)
from solver.model.matrix import INF, Builder, MatrixModel


def _group(keys: IntArray) -> tuple[IntArray, IntArray]:
    """Dense group numbers 0..g-1 for integer keys, and the key of each group."""
    uniq, inverse = np.unique(keys, return_inverse=True)
    return inverse.astype(np.int64), uniq.astype(np.int64)


class Formulation:
    """Builds the `MatrixModel` of one `ModelData`, one SPEC rule per method.

    `disaggregated=False` leaves out the rows x_r ≤ bound_r·y (family `assignment_bound`): they
    are implied by the capacity rows and the column bounds, so every optimum is the same, but
    the relaxation is weaker. The single solve keeps them; see `build_model`.
    """

    def __init__(self, data: ModelData, *, disaggregated: bool = True) -> None:
        self.data = data
        self.disaggregated = disaggregated
        self.b = Builder()
        self.moved: IntArray | None = None  # moved-client columns, where counted (SPEC §3)
        self.lot_clients = np.array(
            [data.demand[:, data.care_lot == li].sum() for li in range(len(data.lot_ids))],
            dtype=np.int64,
        )

    def build(self) -> MatrixModel:
        """All variables and rules, then the objective (already set as column costs)."""
        self._add_variables()
        self._add_demand()
        self._add_capacity()
        self._add_units()
        self._add_coverage()
        self._add_limits()
        self._add_budgets()
        self._add_transfers()
        add_max_moved(self.b, self.data, self.moved)
        add_n_minus_1(self.b, self.data, self.y)
        add_open_house(self.b, self.data, self.y)
        return self.b.finish()

    # -- variables and objective (SPEC §3) --------------------------------------------------------

    def _add_variables(self) -> None:
        """x, y, z, moved, w, v with their objective coefficients (SPEC §3)."""
        d, policy = self.data, self.data.instance.policy
        n_units = len(d.unit_ids)
        row_cost = d.row_cost - policy.quality_weight * d.row_quality
        self.x = self.b.variables(X, row_cost, 0.0, d.row_bound.astype(np.float64))
        n_opt = len(d.option_unit)
        self.y = self.b.variables(Y, np.zeros(n_opt), 0.0, 1.0)
        self.unit_used = np.unique(d.option_unit)
        self.z = np.full(n_units, -1, dtype=np.int64)
        self.z[self.unit_used] = self.b.variables(Z, d.unit_contract_cost[self.unit_used], 0.0, 1.0)
        # moved clients are counted where they cost something or are limited
        counted = policy.transfer_cost > 0 or policy.max_moved is not None
        if counted and len(d.incumbent_clients):
            self.moved = self.b.variables(
                MOVED,
                np.full(len(d.incumbent_clients), policy.transfer_cost),
                0.0,
                d.incumbent_clients.astype(np.float64),
            )

    # -- SPEC §2 rules ---------------------------------------------------------------------------

    def _add_demand(self) -> None:
        """SPEC §2.3: for every (m, c), assigned clients = demand."""
        d = self.data
        cell = d.row_municipality * len(d.care_type_ids) + d.row_care
        group, keys = _group(cell)
        m, c = np.divmod(keys, len(d.care_type_ids))
        need = d.demand[m, c].astype(np.float64)
        self.b.constraints(DEMAND, group, self.x, np.ones(len(group)), need, need)

    def _add_capacity(self) -> None:
        """SPEC §2.4: per member offer, min_clients·y ≤ Σ_m x ≤ capacity·y; and x ≤ bound·y."""
        d = self.data
        n_mem = len(d.member_option)
        y_of_member = self.y[d.member_option]
        cap = d.offer_capacity[d.member_offer].astype(np.float64)
        # an Open House guarantees no volume: min_clients does not apply in its lots
        low = member_min_clients(d).astype(np.float64)
        members = np.arange(n_mem)
        # Σ_m x − cap·y ≤ 0 and Σ_m x − min·y ≥ 0, one row each per member offer
        for family, coef, lo, hi in (
            (CAPACITY, -cap, -INF, 0.0),
            (MIN_CLIENTS, -low, 0.0, INF),
        ):
            keep = members if family == CAPACITY else members[low > 0]
            index = np.full(n_mem, -1, dtype=np.int64)
            index[keep] = np.arange(len(keep))
            rows_x = index[d.row_member]
            on = rows_x >= 0
            self.b.constraints(
                family,
                np.concatenate([rows_x[on], np.arange(len(keep))]),
                np.concatenate([self.x[on], y_of_member[keep]]),
                np.concatenate([np.ones(on.sum()), coef[keep]]),
                np.full(len(keep), lo),
                np.full(len(keep), hi),
            )
        # x_r ≤ bound_r · y: implied, but the disaggregated form gives a much tighter relaxation
        if self.disaggregated:
            self.b.at_most(ASSIGNMENT_BOUND, self.x, self.y[d.row_option], d.row_bound)

    def _add_units(self) -> None:
        """SPEC §2.1: y ≤ z ≤ Σ y per unit; each provider in at most one contracted unit."""
        d = self.data
        n_opt = len(self.y)
        self.b.at_most(CONTRACT_LINK, self.y, self.z[d.option_unit], 1.0)
        group, units = _group(d.option_unit)
        self.b.constraints(
            CONTRACT_NEEDS_CARE_TYPE,
            np.concatenate([np.arange(len(units)), group]),
            np.concatenate([self.z[units], self.y]),
            np.concatenate([np.ones(len(units)), -np.ones(n_opt)]),
            np.full(len(units), -INF),
            np.zeros(len(units)),
        )
        n_p = d.n_providers
        in_consortium = [
            (int(p), u) for u in range(n_p, len(d.unit_ids)) for p in d.unit_members[u]
        ]
        providers = sorted({p for p, _ in in_consortium})
        row_of = {p: i for i, p in enumerate(providers)}
        pairs = [(row_of[p], u) for p, u in in_consortium]
        pairs += [(row_of[p], p) for p in providers]
        pairs = [(r, u) for r, u in pairs if self.z[u] >= 0]
        self.b.constraints(
            ONE_UNIT_PER_PROVIDER,
            np.array([r for r, _ in pairs], dtype=np.int64),
            np.array([self.z[u] for _, u in pairs], dtype=np.int64),
            np.ones(len(pairs)),
            np.full(len(providers), -INF),
            np.ones(len(providers)),
        )

    def _add_coverage(self) -> None:
        """SPEC §2.5: at least k contracted units can serve each (m, c) that needs cover.

        With `policy.n_minus_1` at least two where there is demand (`ModelData.coverage_level`).
        """
        d = self.data
        cells = d.coverage_cells
        opt, mun = np.nonzero(d.option_covers)
        care = d.option_care[opt]
        keep = cells[mun, care]
        opt, mun, care = opt[keep], mun[keep], care[keep]
        cell_keys = np.flatnonzero(cells.ravel())
        n_c = len(d.care_type_ids)
        row_of_cell = np.full(cells.size, -1, dtype=np.int64)
        row_of_cell[cell_keys] = np.arange(len(cell_keys))
        need = d.coverage_level.ravel()[cell_keys].astype(np.float64)
        # A cell no unit can serve still gets its row (0 ≥ k): the model is then infeasible,
        # which the diagnosis explains before the solver is ever asked.
        self.b.constraints(
            COVERAGE,
            row_of_cell[mun * n_c + care],
            self.y[opt],
            np.ones(len(opt)),
            need,
            np.full(len(cell_keys), INF),
        )

    def _add_limits(self) -> None:
        """SPEC §2.6: max_contracts, lot max_contracts, max_units_per_municipality, max_share."""
        d, policy = self.data, self.data.instance.policy
        if policy.max_contracts is not None and len(self.unit_used):
            zs = self.z[self.unit_used]
            self.b.constraints(
                MAX_CONTRACTS, np.zeros(len(zs), np.int64), zs, np.ones(len(zs)),
                [-INF], [float(policy.max_contracts)],
            )  # fmt: skip
        row_lot, row_unit = d.row_lot, d.row_unit
        for li, lot in enumerate(d.instance.lots):
            if lot.max_contracts is not None:
                self._add_lot_max_contracts(li, lot.max_contracts)
            if lot.max_units_per_municipality is not None:
                self._add_units_per_municipality(li, lot.max_units_per_municipality)
            if lot.max_share is not None:
                on = np.flatnonzero(row_lot == li)
                group, _ = _group(row_unit[on])
                limit = np.floor(lot.max_share * self.lot_clients[li] + 1e-9)
                n = int(group.max()) + 1 if len(group) else 0
                self.b.constraints(
                    per_lot(MAX_SHARE, lot.id), group, self.x[on], np.ones(len(on)),
                    np.full(n, -INF), np.full(n, limit),
                )  # fmt: skip

    def _add_lot_max_contracts(self, li: int, limit: int) -> None:
        """w[u,l] ≥ y[u,c] for c in l; Σ_u w[u,l] ≤ limit."""
        d = self.data
        opts = np.flatnonzero(d.care_lot[d.option_care] == li)
        group, units = _group(d.option_unit[opts])
        w = self.b.variables(per_lot(W, d.lot_ids[li]), np.zeros(len(units)), 0.0, 1.0)
        self.b.at_most(per_lot(LOT_CONTRACT_LINK, d.lot_ids[li]), self.y[opts], w[group], 1.0)
        self.b.constraints(
            per_lot(LOT_MAX_CONTRACTS, d.lot_ids[li]), np.zeros(len(w), np.int64), w,
            np.ones(len(w)), [-INF], [float(limit)],
        )  # fmt: skip

    def _add_units_per_municipality(self, li: int, limit: int) -> None:
        """x_r ≤ bound_r·v[u,m,l]; Σ_u v[u,m,l] ≤ limit per municipality."""
        d = self.data
        on = np.flatnonzero(d.row_lot == li)
        mun = d.row_municipality[on]
        key = d.row_unit[on] * len(d.municipality_ids) + mun
        group, keys = _group(key)
        v = self.b.variables(per_lot(V, d.lot_ids[li]), np.zeros(len(keys)), 0.0, 1.0)
        self.b.at_most(
            per_lot(UNIT_IN_MUNICIPALITY, d.lot_ids[li]), self.x[on], v[group], d.row_bound[on]
        )
        mgroup, muns = _group(keys % len(d.municipality_ids))
        self.b.constraints(
            per_lot(MAX_UNITS_PER_MUNICIPALITY, d.lot_ids[li]), mgroup, v, np.ones(len(v)),
            np.full(len(muns), -INF), np.full(len(muns), float(limit)),
        )  # fmt: skip

    def _add_budgets(self) -> None:
        """SPEC §2.7 / §4: budget caps on care-dependent payouts, task and population budgets."""
        d = self.data
        row_lot = d.row_lot
        for li, lot in enumerate(d.instance.lots):
            on = np.flatnonzero(row_lot == li)
            if lot.funding in ("fee_for_service", "lump_sum") and lot.budget_cap is not None:
                factor = 1.0 + lot.margin if lot.funding == "lump_sum" else 1.0
                self.b.constraints(
                    per_lot(BUDGET_CAP, lot.id), np.zeros(len(on), np.int64), self.x[on],
                    d.row_cost[on] * factor, [-INF], [lot.budget_cap], money=True,
                )  # fmt: skip
            elif lot.funding == "task_based" and lot.task_budget is not None:
                self.b.constraints(
                    per_lot(TASK_BUDGET, lot.id), np.zeros(len(on), np.int64), self.x[on],
                    d.row_cost[on], [-INF], [lot.task_budget], money=True,
                )  # fmt: skip
            elif lot.funding == "population_based" and lot.population_rate is not None:
                group, muns = _group(d.row_municipality[on])
                limit = lot.population_rate * d.population[muns].astype(np.float64)
                self.b.constraints(
                    per_lot(POPULATION_BUDGET, lot.id), group, self.x[on], d.row_cost[on],
                    np.full(len(muns), -INF), limit, money=True,
                )  # fmt: skip

    def _add_transfers(self) -> None:
        """SPEC §3 moved clients: moved_i + Σ x[p, m, c] (any unit) ≥ incumbent clients_i.

        And moved_i + clients_i·Σ y ≥ clients_i over the options whose flows count there
        (family `moved_unless_contracted`): implied, as no option on means no flow, but the
        relaxation then pays for the clients of a provider it only partly contracts: the LP gap of
        Achterhoek's coalitions about halves, and 23 regions (bundled, generated, conformance)
        solve in 8.3 s instead of 11.8 s in all, though single ones vary both ways.
        """
        d = self.data
        if self.moved is None:
            return
        n_m, n_c = len(d.municipality_ids), len(d.care_type_ids)
        inc_key = (d.incumbent_provider * n_m + d.incumbent_municipality) * n_c + d.incumbent_care
        row_key = (d.row_provider * n_m + d.row_municipality) * n_c + d.row_care
        pos = np.searchsorted(inc_key, row_key)
        pos = np.minimum(pos, max(len(inc_key) - 1, 0))
        hit = inc_key[pos] == row_key if len(inc_key) else np.zeros(len(row_key), np.bool_)
        n_inc = len(inc_key)
        inc_of_row = pos[hit]  # incumbent record of each x that keeps its clients
        self.b.constraints(
            MOVED_CLIENTS,
            np.concatenate([np.arange(n_inc), inc_of_row]),
            np.concatenate([self.moved, self.x[hit]]),
            np.ones(n_inc + int(hit.sum())),
            d.incumbent_clients.astype(np.float64),
            np.full(n_inc, INF),
        )
        pairs = np.unique(inc_of_row * len(self.y) + d.row_option[hit])
        inc, opt = np.divmod(pairs, len(self.y))
        clients = d.incumbent_clients.astype(np.float64)
        self.b.constraints(
            MOVED_UNLESS_CONTRACTED,
            np.concatenate([np.arange(n_inc), inc]),
            np.concatenate([self.moved, self.y[opt]]),
            np.concatenate([np.ones(n_inc), clients[inc]]),
            clients,
            np.full(n_inc, INF),
        )


def build_model(data: ModelData, *, disaggregated: bool = True) -> MatrixModel:
    """The integer linear model of SPEC §2–§3 for `data`.

    `disaggregated=False` drops the implied rows x ≤ bound·y (same optima, weaker relaxation).
    HiGHS spends most of a small model's time separating cuts over those rows; without them the
    coalition solves (`solver.split.game.coalitions`) are 15–25 % faster (60 random coalitions
    each: Groningen 24.8 → 19.4 s, Achterhoek 17.6 → 14.4 s, Eemland unchanged), while the single
    solve of a region is not reliably faster (generated 221 × 8 went 1.2 → 2.2 s), so it keeps them.
    """
    return Formulation(data, disaggregated=disaggregated).build()
