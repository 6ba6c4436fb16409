"""Cheap proofs of infeasibility for the continuity, N−1 and Open House rules (SPEC §6).

Each is a necessary condition, said in words that name what clashes:

- `policy.max_moved` against the clients who cannot stay with their provider whatever is
  contracted: the provider no longer offers the care type or serves the municipality, or more
  incumbents than the offer's capacity or the cell's demand (a transportation LP gives the most
  who can stay, exactly);
- `policy.n_minus_1` against the care types whose bids, all contracted, less the largest single
  bid, cannot carry the region's demand (no choice of disjoint units does better);
- Open House lots against `policy.max_contracts`: every bidder of such a lot needs a contract,
  and a provider in no consortium needs one of its own.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from solver.i18n.messages import E_
from solver.model.data import ModelData


def continuity_proofs(data: ModelData) -> list[str]:
    """Every continuity proof that fails, as sentences; empty when none does."""
    return _forced_moves(data) + _n_minus_1_capacity(data) + _open_house_contracts(data)


def _names(items: list[str], shown: int = 5) -> str:
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" and {more} more" if more > 0 else "")


def _forced_moves(data: ModelData) -> list[str]:
    """The fewest incumbents who must move, from offers, reach, capacity and demand alone."""
    limit = data.instance.policy.max_moved
    n_inc = len(data.incumbent_clients)
    if limit is None or n_inc == 0:
        return []
    n_c = len(data.care_type_ids)
    p, m, c = data.incumbent_provider, data.incumbent_municipality, data.incumbent_care
    clients = data.incumbent_clients.astype(np.float64)
    offer_key = data.offer_provider * n_c + data.offer_care
    order = np.argsort(offer_key)
    pos = np.searchsorted(offer_key[order], p * n_c + c)
    pos = np.minimum(pos, len(order) - 1) if len(order) else pos
    offered = offer_key[order][pos] == p * n_c + c if len(order) else np.zeros(n_inc, np.bool_)
    offer = np.where(offered, order[pos] if len(order) else 0, -1)
    stayable = offered & data.serves[p, m]
    # max Σ s_i: s_i ≤ I_i (stayable only), Σ s per offer ≤ capacity, Σ s per cell ≤ demand
    ok = np.flatnonzero(stayable)
    stay = 0.0
    if len(ok):
        offers, offer_row = np.unique(offer[ok], return_inverse=True)
        cells, cell_row = np.unique(m[ok] * n_c + c[ok], return_inverse=True)
        n_o = len(offers)
        rows = np.concatenate([offer_row, n_o + cell_row])
        cols = np.concatenate([np.arange(len(ok)), np.arange(len(ok))])
        a = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_o + len(cells), len(ok)))
        cell_m, cell_c = np.divmod(cells, n_c)
        rhs = np.concatenate([data.offer_capacity[offers], data.demand[cell_m, cell_c]]).astype(
            np.float64
        )
        bounds = np.stack([np.zeros(len(ok)), clients[ok]], axis=1)
        res = linprog(-np.ones(len(ok)), A_ub=a, b_ub=rhs, bounds=bounds, method="highs")
        if res.status == 0:
            stay = -float(res.fun)
    forced = int(round(clients.sum() - stay))
    if forced <= limit:
        return []
    ids = data.unit_ids
    gone = [
        f"{int(clients[i])} of {ids[p[i]]} in {data.municipality_ids[m[i]]} "
        f"({data.care_type_ids[c[i]]}: {'not offered' if not offered[i] else 'not served'})"
        for i in np.flatnonzero(~stayable)[np.argsort(-clients[~stayable], kind="stable")]
    ]
    full = []
    if len(ok):
        per_offer = np.bincount(offer[ok], clients[ok], minlength=len(offer_key))
        for o in np.flatnonzero(per_offer > data.offer_capacity):
            full.append(
                f"{ids[data.offer_provider[o]]} has {int(per_offer[o])} incumbents of "
                f"{data.care_type_ids[data.offer_care[o]]}, capacity {data.offer_capacity[o]}"
            )
    why = []
    if gone:
        why.append(f"cannot stay where they are: {_names(gone)}")
    if full:
        why.append(f"do not fit: {_names(full)}")
    if not why:
        why.append("exceed the demand of their municipality and care type")
    return [
        E_(
            "at least {forced} incumbent clients must change provider, policy.max_moved is "
            "{limit}; they {why}"
        ).format(forced=forced, limit=limit, why="; ".join(why))
    ]


def _n_minus_1_capacity(data: ModelData) -> list[str]:
    """Per care type: all bids less the largest one against the region's demand."""
    if not data.instance.policy.n_minus_1:
        return []
    found = []
    for c, care in enumerate(data.care_type_ids):
        need = int(data.demand[:, c].sum())
        caps = data.offer_capacity[data.offer_care == c]
        if need == 0 or len(caps) == 0:
            continue
        left = int(caps.sum() - caps.max())
        if left < need:
            found.append(
                E_(
                    "{care}: demand is {need} clients; all its bids have capacity {capacity}, "
                    "{left} without the largest ({largest}), so policy.n_minus_1 cannot hold"
                ).format(
                    care=care,
                    need=need,
                    capacity=int(caps.sum()),
                    left=left,
                    largest=int(caps.max()),
                )
            )
    return found


def _open_house_contracts(data: ModelData) -> list[str]:
    """Open House lots' bidders without a consortium, each one contract, vs max_contracts."""
    limit = data.instance.policy.max_contracts
    open_lots = [li for li, lot in enumerate(data.instance.lots) if lot.open_house]
    if limit is None or not open_lots:
        return []
    bidders = np.unique(data.offer_provider[np.isin(data.care_lot[data.offer_care], open_lots)])
    in_consortium = np.zeros(data.n_providers, dtype=np.bool_)
    for members in data.unit_members[data.n_providers :]:
        in_consortium[members] = True
    alone = bidders[~in_consortium[bidders]]
    if len(alone) <= limit:
        return []
    lots = ", ".join(data.lot_ids[li] for li in open_lots)
    return [
        E_(
            "the Open House lot(s) {lots} contract every bidder: {n} of them belong to no "
            "consortium and need a contract each; policy.max_contracts is {limit}"
        ).format(lots=lots, n=len(alone), limit=limit)
    ]
