"""The status quo (`dekkend baseline`): today's landscape as a plan, to set beside the tender's.

Today's situation is built from the instance alone:

- every provider with clients in care today (`incumbent[]`) keeps a contract of its own for those
  care types, and its incumbents stay with it: the fewest possible move (`min_moved`; none
  unless a provider no longer offers the care, serves the municipality or has the room);
- the rest of demand is placed at least cost on the bids, under the same coverage and funding
  rules;
- the tender's selection rules do not apply to today: no `max_contracts` (policy or lot), no
  `max_units_per_municipality`, `max_share`, `budget_cap`, `min_clients`, N−1, Open House or
  consortia (today's contracts are with providers).

Its result is an ordinary result (cost, contracts, payouts, split), with notes that say what was
assumed and how complete the incumbent data is ("1,834 of 5,998 clients have a recorded
provider"): where most clients have none, the status quo is mostly a least-cost guess.
"""

from __future__ import annotations

from solver.analysis.fewest import with_policy
from solver.analysis.min_moved import min_moved
from solver.i18n.messages import E_
from solver.instance import Instance
from solver.options import SolveOptions
from solver.result import Result

_DEFAULT = SolveOptions()

_TENDER_LOT_RULES = {
    "max_contracts": None,
    "max_units_per_municipality": None,
    "max_share": None,
    "budget_cap": None,
    "open_house": False,
}


def incumbent_coverage(instance: Instance) -> tuple[int, int]:
    """(clients with a recorded provider today, clients in demand)."""
    recorded = sum(i.clients for p in instance.providers for i in p.incumbent)
    return recorded, sum(d.clients for d in instance.demand)


def incumbent_statement(instance: Instance) -> str:
    """'1,834 of 5,998 clients (31%) have a recorded provider today'."""
    recorded, clients = incumbent_coverage(instance)
    if not clients:
        return E_("{recorded} of {clients} clients have a recorded provider today").format(
            recorded=f"{recorded:,}", clients=f"{clients:,}"
        )
    return E_("{recorded} of {clients} clients ({share}) have a recorded provider today").format(
        recorded=f"{recorded:,}", clients=f"{clients:,}", share=f"{recorded / clients:.0%}"
    )


def status_quo_instance(instance: Instance) -> Instance:
    """The instance as today's landscape: incumbents stay, the tender's selection rules dropped."""
    lots = [lot.model_copy(update=_TENDER_LOT_RULES) for lot in instance.lots]
    providers = [
        p.model_copy(update={"offers": [o.model_copy(update={"min_clients": 0}) for o in p.offers]})
        for p in instance.providers
    ]
    today = instance.model_copy(
        update={
            "lots": lots,
            "providers": providers,
            "consortia": [],
            "name": instance.name,
        }
    )
    return with_policy(today, max_contracts=None, max_moved=None, n_minus_1=False)


def baseline(instance: Instance, *, options: SolveOptions = _DEFAULT) -> Result:
    """Today's situation as a result: incumbents kept, the rest placed at least cost."""
    today = status_quo_instance(instance)
    found = min_moved(today, options=options)
    result = found.result
    notes = [
        E_(
            "status quo: every provider with clients in care keeps them (and its contract); the "
            "rest of demand is placed at least cost; no max_contracts, max_units_per_municipality, "
            "max_share, budget_cap, min_clients, N−1, Open House or consortia"
        ),
        incumbent_statement(instance),
    ]
    if found.least:
        notes.append(
            E_(
                "{n} clients in care cannot stay with their provider even today (it no longer "
                "offers their care, serves their municipality or has the room)"
            ).format(n=f"{found.least:,}")
        )
    kept = [n for n in result.notes if not n.startswith("fewest clients who change provider")]
    return result.model_copy(update={"notes": [*notes, *kept]})
