"""SPEC §6–§7: statuses and the one result shape shared by library, CLI and API (immutable)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
    amount: float


class MunicipalityAmount(_Frozen):
    """An amount in euros for one municipality."""

    municipality: str
    amount: float


class CostSplitResult(_Frozen):
    """SPEC §5: the regional cost split over the municipalities, to the cent."""

    rule: str
    amounts: list[MunicipalityAmount]
    stand_alone: list[MunicipalityAmount] | None = None
    core: dict[str, Any] | None = None
    standard_errors: list[MunicipalityAmount] | None = None


class Costs(_Frozen):
    """The parts of the objective (SPEC §3) and of the regional cost (SPEC §4), in euros."""

    contract_cost: float
    care_cost: float
    transfer_cost: float
    quality_bonus: float
    moved_clients: int
    payouts: float


class ErrorItem(_Frozen):
    """One input error with its JSON path (SPEC §7 `errors[]`)."""

    path: str
    message: str


class Result(_Frozen):
    """The outcome of a solve: status, plan, payouts, split, and why when there is no plan."""

    status: Status
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    backend: str | None = None
    runtime_s: float = 0.0
    contracts: list[Contract] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    budgets: list[Budget] = Field(default_factory=list)
    regional_cost: float | None = None
    cost_split: CostSplitResult | None = None
    explanation: list[str] = Field(default_factory=list)
    errors: list[ErrorItem] = Field(default_factory=list)
    instance: str | None = None
    costs: Costs | None = None
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        """The result as SPEC §7 JSON text."""
        return self.model_dump_json(indent=2)
