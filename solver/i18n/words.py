"""SPEC's words (statuses, funding models, split rules) as a person of either language reads them.

The JSON keeps SPEC's values; these are only for what a person reads. `N_` marks a text for the
catalogue without translating it here (it is translated where it is shown).
"""

from __future__ import annotations

from solver.i18n.catalogue import gettext_for


def N_(text: str) -> str:  # noqa: N802 - the gettext convention the extractor looks for
    """Mark `text` for the catalogue; translated later with `_`."""
    return text


STATUS = {
    "optimal": N_("optimal"),
    "feasible": N_("feasible (not proven optimal)"),
    "infeasible": N_("infeasible"),
    "no_solution": N_("no plan found in the time"),
    "invalid": N_("invalid input"),
}
FUNDING = {
    "lump_sum": N_("lump sum"),
    "task_based": N_("task-based"),
    "population_based": N_("population-based"),
    "fee_for_service": N_("price × quantity"),
}
COST_WORDS = {
    "objective": N_("objective"),
    "regional_cost": N_("regional cost"),
    "payouts": N_("payouts"),
    "contract_cost": N_("contract cost"),
    "care_cost": N_("care cost"),
    "transfer_cost": N_("transfer cost"),
    "quality_bonus": N_("quality bonus"),
}
RULE = {
    "usage": N_("by use"),
    "population": N_("by population"),
    "mixed": N_("mixed (use and population)"),
    "key": N_("agreed key"),
    "shapley": N_("Shapley"),
    "nucleolus": N_("nucleolus"),
    "least_core": N_("least core"),
}


def word(table: dict[str, str], value: str, lang: str) -> str:
    """`value` (a SPEC word) in `lang`; an unknown value is shown as it is."""
    return gettext_for(lang)(table[value]) if value in table else value
