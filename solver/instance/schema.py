"""SPEC §1: the instance schema, strict (unknown fields, coercion, NaN and infinity are errors).

`parse.parse_instance` validates raw JSON against it and against the references it cannot see.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"

# Upper bounds far above any region (the Dutch youth-care budget is ~5e9 euros a year) that keep
# every number exact in float64 and in CP-SAT's int64 cents: no silent overflow downstream.
MAX_MONEY = 1e12
MAX_COUNT = 10**9

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Fraction = Annotated[float, Field(ge=0, le=1)]

Funding = Literal["fee_for_service", "lump_sum", "task_based", "population_based"]
SplitRule = Literal["usage", "population", "mixed", "key", "shapley", "nucleolus"]
GameCapacity = Literal["proportional", "full"]
# The rules that split by the coalition game (SPEC §5): they solve the instance per coalition.
GAME_RULES = ("shapley", "nucleolus")
LotSplitRule = Literal["usage", "population", "mixed", "key"]


class _Strict(BaseModel):
    """Every schema object: unknown fields are errors, no type coercion, finite numbers only."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Municipality(_Strict):
    """A gemeente of the region."""

    id: Id
    name: str | None = None
    youth_population: Count


class Lot(_Strict):
    """A perceel of the tender, with its funding model and its rules."""

    id: Id
    name: str | None = None
    funding: Funding
    task_budget: Money | None = None
    population_rate: Money | None = None
    budget_cap: Money | None = None
    min_providers: Annotated[int, Field(ge=1, le=MAX_COUNT)] = 1
    max_contracts: Count | None = None
    max_units_per_municipality: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    max_share: Annotated[float, Field(gt=0, le=1)] | None = None
    risk_margin: Money | None = None
    # an Open House procedure: every bidder that meets the terms is contracted (SPEC §1)
    open_house: bool = False

    @property
    def margin(self) -> float:
        """The lump-sum risk margin, 0 when absent."""
        return self.risk_margin or 0.0


class CareType(_Strict):
    """A care type (zorgvorm); it belongs to exactly one lot."""

    id: Id
    name: str | None = None
    lot: Id


class Demand(_Strict):
    """Expected clients per year of one care type in one municipality."""

    municipality: Id
    care_type: Id
    clients: Count


class Offer(_Strict):
    """A provider's bid for one care type."""

    care_type: Id
    capacity: Count
    price: Money
    min_clients: Count = 0
    quality: Fraction = 0.5


class Incumbent(_Strict):
    """Clients in care with a provider today (continuïteit van zorg)."""

    municipality: Id
    care_type: Id
    clients: Count


class Provider(_Strict):
    """An aanbieder: a bidder that can be contracted alone or as a consortium member."""

    id: Id
    name: str | None = None
    contract_cost: Money
    municipalities: list[Id] | None = None
    offers: list[Offer]
    access_cost: dict[str, Money] = Field(default_factory=dict)
    incumbent: list[Incumbent] = Field(default_factory=list)


class Consortium(_Strict):
    """A joint bid (zorgcoöperatie / hoofdaannemer) that contracts as one party."""

    id: Id
    name: str | None = None
    lead: Id
    members: Annotated[list[Id], Field(min_length=2)]
    contract_cost: Money


class LotSplit(_Strict):
    """The split rule for one lot's payout (SPEC §5 `by_lot`)."""

    rule: LotSplitRule
    usage_weight: Fraction | None = None
    weights: dict[str, Money] | None = None


class CostSplit(_Strict):
    """How the regional cost is split over the municipalities (SPEC §5)."""

    rule: SplitRule = "mixed"
    usage_weight: Fraction | None = None
    weights: dict[str, Money] | None = None
    by_lot: dict[str, LotSplit] | None = None
    samples: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] | None = None  # numpy's generators: ≥ 0
    # the coalition game (shapley, nucleolus): capacity shared pro rata clients, or whole
    capacity: GameCapacity = "proportional"


class Policy(_Strict):
    """The region's choices."""

    max_contracts: Count | None = None
    transfer_cost: Money = 0.0
    quality_weight: Money = 0.0
    max_moved: Count | None = None  # at most this many incumbent clients change provider
    n_minus_1: bool = False  # the landscape survives the loss of any one contracted unit
    cost_split: CostSplit = Field(default_factory=CostSplit)


# A horizon factor: > 0, and far from the float limits (100× a year's figures is already absurd).
Factor = Annotated[float, Field(gt=0, le=1000)]
# A number, or one per care type; errors name only the branch the value took (tags in `<>` are
# left out of error paths, `messages.format_path`).
FactorOrMap = Annotated[
    Annotated[Factor, Tag("<number>")] | Annotated[dict[Id, Factor], Tag("<map>")],
    Discriminator(lambda v: "<map>" if isinstance(v, dict) else "<number>"),
]


class Period(_Strict):
    """One year (or part) of the tender: its term and how its figures differ (SPEC §8)."""

    id: Id
    term: Id | None = None  # default: the previous period's; the first period's is "1"
    weight: Annotated[float, Field(ge=0, le=1000)] | None = None  # default 1 / (1 + rate)^t
    demand_factor: FactorOrMap = 1.0  # a number, or per care type
    price_factor: Factor = 1.0  # prices, access costs and contract costs ×
    capacity_factor: Factor = 1.0  # capacities × (rounded down)
    budget_factor: Factor = 1.0  # task budgets, budget caps and population rates ×


class Horizon(_Strict):
    """The periods of a tender over several years, in time order (SPEC §8)."""

    periods: Annotated[list[Period], Field(min_length=1, max_length=100)]
    discount_rate: Annotated[float, Field(ge=0, le=1)] = 0.0


class Instance(_Strict):
    """A whole tender: municipalities, lots, care types, demand, bidders and policy."""

    schema_version: Literal[1]
    name: str
    municipalities: list[Municipality]
    lots: list[Lot]
    care_types: list[CareType]
    demand: list[Demand]
    providers: list[Provider]
    consortia: list[Consortium] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)
    horizon: Horizon | None = None  # several years: terms, extensions, growing demand (SPEC §8)

    def sizes(self) -> dict[str, int]:
        """How many municipalities, lots, care types, providers and consortia it names."""
        return {
            "municipalities": len(self.municipalities),
            "lots": len(self.lots),
            "care_types": len(self.care_types),
            "providers": len(self.providers),
            "consortia": len(self.consortia),
        }
