"""Request and response bodies of the HTTP API (the OpenAPI schema at /docs is built from these)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

from solver.options import SolveOptions
from solver.result import Result

_TINY = Path(__file__).resolve().parents[1] / "instances" / "tiny.json"


def _example_instance() -> dict[str, Any]:
    """The bundled tiny instance, for the examples at /docs (empty if it is not bundled)."""
    try:
        return json.loads(_TINY.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


EXAMPLE_INSTANCE = _example_instance()
# An instance travels as plain JSON data and is validated by `solver.instance.parse_instance`
# (every error with its path, which a pydantic model field would not give); the OpenAPI schema
# still shows its full shape (`Instance`, added to the components by `api.app`).
InstanceJson = Annotated[
    dict[str, Any], WithJsonSchema({"allOf": [{"$ref": "#/components/schemas/Instance"}]})
]
ResultJson = Annotated[
    dict[str, Any], WithJsonSchema({"allOf": [{"$ref": "#/components/schemas/Result"}]})
]
JobState = Literal["queued", "running", "done", "failed", "cancelled"]
JobKind = Literal["solve", "split", "stress"]


class OptionsIn(BaseModel):
    """How to solve (SPEC §7 CLI flags). Every field is optional."""

    model_config = ConfigDict(extra="forbid", strict=True)

    backend: str = Field(
        "highs", description="`highs`, `cpsat`, `pulp` (CBC) or `pulp:SOLVER`.", max_length=64
    )
    time_limit_s: float | None = Field(
        None,
        gt=0,
        le=1e9,
        description="Seconds. Absent: the server's default. Above the server's maximum: clamped "
        "(the response says so).",
    )
    gap: float = Field(1e-6, ge=0, lt=1, description="Relative gap at which a plan is `optimal`.")
    threads: int = Field(1, ge=1, le=1024, description="Solver threads (the server caps them).")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="Random seed; same seed, same result.")

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        SolveOptions(backend=value)  # raises ValueError naming the valid choices
        return value


class SplitIn(BaseModel):
    """Run the solve as `dekkend split`: the regional cost split by a rule, with its coalition game.

    With a game rule (`shapley`, `nucleolus`), `stand_alone` or `compare`, the optimal cost of
    coalitions of municipalities is solved (SPEC §5: every coalition up to 12 municipalities,
    else sampled orders), and the result's `cost_split` carries the stand-alone costs in both
    units and the core verdict.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    rule: Literal["usage", "population", "mixed", "key", "shapley", "nucleolus"] | None = Field(
        None,
        description="Split rule (default: the instance's `policy.cost_split.rule`). Another rule "
        "is a what-if: the result holds for the instance with that rule and says so in its notes.",
    )
    stand_alone: bool = Field(
        False, description="Stand-alone costs c({m}) and the core check for any rule."
    )
    samples: int | None = Field(
        None, ge=1, le=100_000, description="Random orders for Shapley beyond 12 municipalities."
    )
    seed: int | None = Field(None, ge=0, le=2**31 - 1, description="Seed of the random orders.")
    capacity: Literal["proportional", "full"] | None = Field(
        None,
        description="The game's capacity (default: the instance's `cost_split.capacity`): "
        "`proportional`, each coalition its share of every offer, or `full`, every offer whole.",
    )
    compare: bool = Field(
        False,
        description="Also split the same plan by every rule (`comparison` in the result): "
        "usage, population, mixed, key (with weights), shapley, nucleolus, least core.",
    )


class StressIn(BaseModel):
    """Run `dekkend stress`: lose each contracted unit in turn and re-place its clients.

    The plan is `result` (a result of this instance, e.g. a finished job's) or, without it, the
    optimum solved first within `options.time_limit_s`. The job's result is that plan with its
    `stress` report: per unit absorbed or not (and why), extra cost, clients, what is left
    short; and the units above the concentration `threshold`.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    threshold: float = Field(
        0.25, gt=0, le=1, description="Flag a unit above this share of a lot's or a "
        "municipality's clients.",
    )  # fmt: skip
    result: dict[str, Any] | None = Field(
        None, description="The plan to stress: a result (SPEC §7) of this instance."
    )


class SolveRequest(BaseModel):
    """An instance (SPEC §1) and how to solve it. Used by POST /v1/solve and POST /v1/jobs."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"instance": EXAMPLE_INSTANCE, "options": {"time_limit_s": 10}}]
        },
    )

    instance: InstanceJson = Field(description="The instance, exactly as in a file (SPEC §1).")
    options: OptionsIn = Field(default_factory=OptionsIn)
    split: SplitIn | None = Field(
        None,
        description="Present: a split job (`dekkend split`); `options.time_limit_s` then bounds "
        "the plan and the coalitions together.",
    )
    stress: StressIn | None = Field(
        None, description="Present: a stress job (`dekkend stress`) on the given or solved plan."
    )


class ValidateRequest(BaseModel):
    """An instance to validate (SPEC §1)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"instance": EXAMPLE_INSTANCE}]},
    )

    instance: InstanceJson = Field(description="The instance, exactly as in a file (SPEC §1).")


class CheckRequest(BaseModel):
    """An instance and a result to judge by SPEC §2–§6."""

    model_config = ConfigDict(extra="forbid", strict=True)

    instance: InstanceJson = Field(description="The instance (SPEC §1).")
    result: ResultJson = Field(description="A result (SPEC §7), e.g. from POST /v1/solve.")


class ValidateResponse(BaseModel):
    """A valid instance and its size."""

    valid: Literal[True] = True
    name: str
    municipalities: int
    providers: int
    consortia: int
    care_types: int
    lots: int


class Violation(BaseModel):
    """One broken rule."""

    rule: str
    message: str


class CheckResponse(BaseModel):
    """The checker's verdict and the amounts it recomputed from the plan."""

    ok: bool
    violations: list[Violation]
    objective: float | None = None
    regional_cost: float | None = None


class TimeLimit(BaseModel):
    """The time limit asked for and the one used (clamped to the server's maximum)."""

    requested_s: float | None
    used_s: float
    clamped: bool


class SolveResponse(Result):
    """A result (SPEC §7), plus the time limit that was applied."""

    time_limit: TimeLimit


class JobProgress(BaseModel):
    """The latest snapshot of a running solve."""

    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    elapsed_s: float = 0.0
    coalitions_done: int | None = Field(None, description="A split job: coalitions solved so far.")
    coalitions_total: int | None = Field(None, description="A split job: coalitions to solve.")
    units_done: int | None = Field(None, description="A stress job: units lost so far.")
    units_total: int | None = Field(None, description="A stress job: contracted units.")


class JobView(BaseModel):
    """A job: its state, progress while running, and the result once there is one."""

    id: str
    kind: JobKind = Field(
        "solve", description="`split` or `stress` when submitted with those options."
    )
    state: JobState
    instance: str | None = Field(None, description="The instance's name.")
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int = Field(description="Solve starts (more than 1 after a server restart).")
    time_limit_s: float
    cancel_requested: bool = False
    notes: list[str] = Field(default_factory=list)
    progress: JobProgress | None = None
    error: str | None = Field(None, description="Why the job failed, in plain words.")
    result: Result | None = Field(
        None,
        description="When done (or cancelled after a plan was found): the result, SPEC §7. "
        "A cancelled solve's plan comes back as `feasible`.",
    )


class JobCreated(BaseModel):
    """A job was stored (it survives restarts) and queued."""

    id: str
    state: JobState
    location: str
    time_limit: TimeLimit


class JobPage(BaseModel):
    """One page of the caller's jobs, newest first (without results)."""

    jobs: list[JobView]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")


class Health(BaseModel):
    """Liveness and queue depth."""

    status: Literal["ok"] = "ok"
    version: str
    workers: int
    queued: int
    running: int
    open_mode: bool
