"""From a request body to what a worker needs: a validated instance, options and clamped limits.

Every solve route (sync and jobs) goes through `prepare`, so both apply the same checks in the same
order: size limits and absurd numbers, then the SPEC §1 schema, then the options.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from api.errors import ApiError, invalid
from api.isolated import run_isolated
from api.limits import ISOLATE_BYTES, instance_limit_errors
from api.schemas import SolveRequest, TimeLimit
from api.settings import Settings
from solver.errors import FieldError, InvalidInput
from solver.instance import Instance, parse_instance
from solver.model.size import estimate_size
from solver.result import parse_result

T = TypeVar("T")


@dataclass(frozen=True)
class InstanceFacts:
    """What the routes need to know of a valid instance (its name and size)."""

    name: str
    municipalities: int
    providers: int
    consortia: int
    care_types: int
    lots: int


@dataclass(frozen=True)
class Prepared:
    """A checked request: the instance's facts, the worker's payload and the time limit applied."""

    instance: InstanceFacts
    payload: str
    time_limit: TimeLimit
    notes: list[str]
    kind: str  # `solve`, `split` or `stress` (the request has such options)


@dataclass(frozen=True)
class InstanceLimits:
    """The server's limits on an instance, as the isolated process needs them."""

    max_providers: int
    max_municipalities: int
    max_model_columns: int

    @classmethod
    def of(cls, settings: Settings) -> InstanceLimits:
        """The limits of `settings`."""
        return cls(settings.max_providers, settings.max_municipalities, settings.max_model_columns)


def check_instance(
    request: dict[str, Any], body: bytes | None, settings: Settings, *, model: bool = False
) -> InstanceFacts:
    """Validate a request's instance under this server's limits (and its model's size), or 422."""
    try:
        facts: InstanceFacts = offloaded(
            instance_facts, request, (InstanceLimits.of(settings), model), body, settings
        )
    except InvalidInput as exc:
        raise invalid(exc, "instance") from None
    return facts


def offloaded(
    function: Callable[..., T],
    request: dict[str, Any],
    extra: tuple[Any, ...],
    body: bytes | None,
    settings: Settings,
) -> T:
    """`function(request, *extra)`: here for a small body, isolated for a large one.

    The isolated process parses the request from the `body` bytes itself, so nothing large is
    copied (or pickled) in the server process.
    """
    if body is None or len(body) <= ISOLATE_BYTES:
        return function(request, *extra)
    return run_isolated(  # type: ignore[no-any-return]
        _from_body,
        (function, body, extra),
        time_limit_s=settings.input_time_limit_s,
        memory_mb=settings.worker_memory_limit_mb,
        what="instance",
    )


def _from_body(function: Callable[..., T], body: bytes, extra: tuple[Any, ...]) -> T:
    return function(json.loads(body), *extra)


def valid_instance(raw: object, limits: InstanceLimits) -> Instance:
    """The instance within this server's limits, or `InvalidInput` with every error.

    Size limits and absurd numbers are checked first, then the SPEC §1 schema.
    """
    errors = instance_limit_errors(
        raw, max_providers=limits.max_providers, max_municipalities=limits.max_municipalities
    )
    if errors:
        raise InvalidInput(errors)
    return parse_instance(raw)


def instance_facts(request: dict[str, Any], limits: InstanceLimits, model: bool) -> InstanceFacts:
    """The facts of a request's valid instance, or `InvalidInput` (maybe in a child).

    With `model`, also the size of the model it would give (estimated before any build).
    """
    instance = valid_instance(request.get("instance"), limits)
    if model:
        _check_model_size(instance, limits.max_model_columns)
    return InstanceFacts(name=instance.name, **instance.sizes())


def _check_model_size(instance: Instance, max_columns: int) -> None:
    """`InvalidInput` at `providers` when the model would be larger than this server solves.

    The model's columns are estimated from providers × municipalities × care types
    (`solver.model.size`); memory grows with them, so a request inside every other limit cannot
    take a worker to many gigabytes.
    """
    size = estimate_size(instance)
    if size.columns <= max_columns:
        return
    message = (
        f"the model would have about {size.columns:,} columns ({size.flows:,} client flows: "
        f"{len(instance.providers):,} providers' offers × the municipalities they serve with "
        f"demand) and {size.rows:,} rows, needing about {size.memory_mb:,} MiB; this server "
        f"solves at most {max_columns:,} columns (DEKKEND_MAX_MODEL_COLUMNS)"
    )
    raise InvalidInput([FieldError("providers", message)])


def prepare(
    body: SolveRequest, raw_body: bytes | None, settings: Settings, *, max_time_limit_s: float
) -> Prepared:
    """Check `body`; clamp its time limit to `max_time_limit_s`; build the worker payload."""
    instance = check_instance({"instance": body.instance}, raw_body, settings, model=True)
    options = body.options
    if options.threads > settings.max_threads:
        raise ApiError(
            422,
            "invalid request: 1 error(s)",
            errors=[
                FieldError(
                    "options.threads",
                    f"{options.threads} threads; this server allows at most {settings.max_threads}",
                )
            ],
            where="request",
        )
    requested = options.time_limit_s
    wanted = requested if requested is not None else settings.default_time_limit_s
    used = min(wanted, max_time_limit_s)
    limit = TimeLimit(requested_s=requested, used_s=used, clamped=used < wanted)
    notes = []
    if used < wanted:
        notes.append(f"time limit {wanted:g} s was clamped to {used:g} s (this server's maximum)")
    solve_options = {
        "backend": options.backend,
        "time_limit_s": used,
        "gap": options.gap,
        "threads": options.threads,
        "seed": options.seed,
    }
    request: dict[str, object] = {"instance": body.instance, "options": solve_options}
    kind = "solve"
    # the worker does not read the settings: its processes and cache file travel along, for a
    # split job and for a solve whose own rule is shapley (a coalition game all the same)
    cache = settings.coalition_cache_path
    game = {"workers": settings.split_workers, "cache": None if cache is None else str(cache)}
    if body.split is not None and body.stress is not None:
        both = FieldError("stress", "one job kind at a time: split or stress")
        raise invalid(InvalidInput([both], "request"), "request")
    if body.split is not None:
        kind = "split"
        request["split"] = {**body.split.model_dump(exclude_none=True), **game}
    else:
        request["game"] = game
    if body.stress is not None:
        kind = "stress"
        if body.stress.result is not None:
            _check_plan(body.stress.result, instance.name)
        request["stress"] = body.stress.model_dump(exclude_none=True)
    return Prepared(instance, json.dumps(request), limit, notes, kind)


def _check_plan(raw: dict[str, Any], instance_name: str) -> None:
    """A stress job's given plan: a valid result of this instance with a plan (else 422)."""
    try:
        plan = parse_result(raw)
    except InvalidInput as exc:
        errors = [FieldError(f"stress.result.{e.path}", e.message) for e in exc.errors]
        raise invalid(InvalidInput(errors, "request"), "request") from None
    problems = []
    if plan.instance is not None and plan.instance != instance_name:
        problems.append(FieldError("stress.result.instance",
                                   f"is {plan.instance!r}: a result of another instance than "
                                   f"{instance_name!r}"))  # fmt: skip
    if not plan.status.has_solution:
        why = f"is {plan.status.value}: there is no plan to stress"
        problems.append(FieldError("stress.result.status", why))
    if problems:
        raise invalid(InvalidInput(problems, "request"), "request")
