"""SPEC §6–§7: statuses and the one result shape shared by library, CLI and API (immutable).

`parse_result` reads a result back from JSON data (`dekkend check`, `dekkend compare`).
"""

from __future__ import annotations

import json
import math
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, ValidationError

from solver.errors import FieldError, InvalidInput
from solver.instance.messages import format_path


def tidy_euros(value: float) -> float:
    """`value` without binary float noise (89924.59999999999 → 89924.6).

    Rounded to a millionth of a euro, unless that would move it to another cent: the checker and
    every split round the regional cost to cents, so that cent must not change.
    """
    if not math.isfinite(value):
        return value
    tidy = round(value, 6)
    return tidy if round(tidy * 100) == round(value * 100) else value


def _tidy_tree(value: Any) -> Any:
    """Every float of a JSON-like tree through `tidy_euros` (the core report's amounts)."""
    if isinstance(value, float):
        return tidy_euros(value)
    if isinstance(value, dict):
        return {k: _tidy_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_tidy_tree(v) for v in value]
    return value


# Euros in result JSON: written without float noise; the Python values stay exact.
Euros = Annotated[float, PlainSerializer(tidy_euros, when_used="json")]
# Seconds in result JSON: to the millisecond (0.9886191049990884 s says nothing more).
Seconds = Annotated[float, PlainSerializer(lambda s: round(s, 3), when_used="json")]


class Status(StrEnum):
    """SPEC §6. `optimal` only when proven within the requested gap."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no_solution"
    INVALID = "invalid"

    @property
    def has_solution(self) -> bool:
        """Whether a result with this status carries a plan."""
        return self in (Status.OPTIMAL, Status.FEASIBLE)


class _Frozen(BaseModel):
    # Result files are read back by `dekkend check`: extra fields are welcome there (SPEC §7).
    model_config = ConfigDict(frozen=True, extra="ignore")


class Contract(_Frozen):
    """A contracted unit (provider or consortium) and the care types it is contracted for."""

    unit: str
    care_types: list[str]


class Assignment(_Frozen):
    """Clients of one (municipality, care type) served by one provider under one unit's contract."""

    unit: str
    provider: str
    municipality: str
    care_type: str
    clients: int


class Budget(_Frozen):
    """What one contracted unit is paid for one lot (SPEC §4)."""

    unit: str
    lot: str
    funding: str
    amount: Euros


class MunicipalityAmount(_Frozen):
    """An amount in euros for one municipality."""

    municipality: str
    amount: Euros


class SplitParts(_Frozen):
    """One municipality's amount in its parts: care (the lots' payouts), contract and transfer.

    Transfer is a price the region puts on disruption (clients who must change provider), not
    money paid to anyone.
    """

    municipality: str
    care: Euros
    contract: Euros
    transfer: Euros


class CostSplitResult(_Frozen):
    """SPEC §5: the regional cost split over the municipalities, to the cent.

    A game split (shapley, nucleolus) also says, per municipality, what it would pay alone in
    both units: `stand_alone` as an objective (the game's own unit, c({m})) and
    `stand_alone_scaled` on the amounts' scale (c({m}) × regional cost / `grand_cost`), so that
    "pays together" and "would pay alone" read side by side.
    """

    rule: str
    amounts: list[MunicipalityAmount]
    parts: list[SplitParts] | None = None
    stand_alone: list[MunicipalityAmount] | None = None
    stand_alone_scaled: list[MunicipalityAmount] | None = None
    grand_cost: Euros | None = None  # c(N), the objective of buying together
    core: Annotated[dict[str, Any] | None, PlainSerializer(_tidy_tree, when_used="json")] = None
    standard_errors: list[MunicipalityAmount] | None = None


class RuleComparison(_Frozen):
    """The same plan split by every rule (`dekkend split --compare`): one split per rule.

    Every column adds up to the regional cost to the cent; a rule that cannot split this plan
    (a game with a coalition that cannot buy alone, the nucleolus beyond 12 municipalities, `key`
    without weights) is listed in `refused` with the reason.
    """

    splits: list[CostSplitResult]
    refused: dict[str, str] = Field(default_factory=dict)


class Costs(_Frozen):
    """The parts of the objective (SPEC §3) and of the regional cost (SPEC §4), in euros."""

    contract_cost: Euros
    care_cost: Euros
    transfer_cost: Euros
    quality_bonus: Euros
    moved_clients: int
    payouts: Euros


class MovedClients(_Frozen):
    """Incumbent clients who leave their provider in one municipality and care type (SPEC §3)."""

    provider: str
    municipality: str
    care_type: str
    clients: int  # moved: max(0, incumbents − clients of (m, c) assigned to the provider)
    incumbents: int  # in care with the provider today


class PeriodResult(_Frozen):
    """One period of a horizon plan (SPEC §8): its own plan, money and split."""

    id: str
    term: str
    weight: float
    objective: Euros  # §3 with the period's figures, transfer at a term start included
    contracts: list[Contract]
    assignments: list[Assignment]
    budgets: list[Budget]
    regional_cost: Euros
    cost_split: CostSplitResult | None = None
    costs: Costs | None = None
    moved: list[MovedClients] = Field(default_factory=list)  # incumbents, or ended contracts'
    ended: list[Contract] = Field(default_factory=list)  # contracts that end as this term starts


class ErrorItem(_Frozen):
    """One input error with its JSON path (SPEC §7 `errors[]`)."""

    path: str
    message: str


class Result(_Frozen):
    """The outcome of a solve: status, plan, payouts, split, and why when there is no plan."""

    status: Status
    objective: Euros | None = None
    bound: Euros | None = None
    gap: float | None = None
    backend: str | None = None
    runtime_s: Seconds = 0.0
    contracts: list[Contract] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    budgets: list[Budget] = Field(default_factory=list)
    regional_cost: Euros | None = None
    cost_split: CostSplitResult | None = None
    explanation: list[str] = Field(default_factory=list)
    errors: list[ErrorItem] = Field(default_factory=list)
    instance: str | None = None
    costs: Costs | None = None
    moved: list[MovedClients] = Field(default_factory=list)  # instance order of the incumbents
    comparison: RuleComparison | None = None
    # a horizon (SPEC §8): every period; the plan fields above then hold the first period's
    # contracts, assignments and moved clients, and the totals of budgets, costs and split
    periods: list[PeriodResult] = Field(default_factory=list)
    # `dekkend stress` over HTTP: the plan's stress report (`StressReport.to_dict`)
    stress: Annotated[dict[str, Any] | None, PlainSerializer(_tidy_tree, when_used="json")] = None
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        """The result as SPEC §7 JSON text."""
        return self.model_dump_json(indent=2)


def parse_result(raw: Any) -> Result:
    """Validate result JSON data into a `Result`, or raise `InvalidInput(what="result")`.

    Strict about types (clients must be JSON integers, numbers no strings or booleans) and about
    finite numbers; unknown fields are welcome (SPEC §7). Ids are judged by `check`, not here.
    """
    errors = [
        FieldError(path, "must be a finite number (no NaN or infinity)")
        for path in _non_finite(raw, ())
    ]
    try:
        text = json.dumps(raw, allow_nan=True)
    except (TypeError, ValueError) as exc:
        raise InvalidInput([FieldError("", f"not JSON data: {exc}")], what="result") from None
    try:
        result = Result.model_validate_json(text, strict=True)
    except ValidationError as exc:
        for e in exc.errors():
            value = e.get("input")
            shown = "" if isinstance(value, dict | list) else f", not {json.dumps(value)}"
            errors.append(FieldError(format_path(e["loc"]), f"{e['msg']}{shown}"))
    if errors:
        raise InvalidInput(errors, what="result")
    return result


def _non_finite(value: Any, loc: tuple[int | str, ...]) -> list[str]:
    """Paths of NaN and infinite numbers in JSON data."""
    if isinstance(value, float) and not math.isfinite(value):
        return [format_path(loc)]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _non_finite(v, (*loc, str(k)))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _non_finite(v, (*loc, i))]
    return []
