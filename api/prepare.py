"""From a request body to what a worker needs: a validated instance, options and clamped limits.

Every solve route (sync and jobs) goes through `prepare`, so both apply the same checks in the same
order: size limits and absurd numbers, then the SPEC §1 schema, then the options.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from api.errors import ApiError, invalid
from api.limits import instance_limit_errors
from api.schemas import SolveRequest, TimeLimit
from api.settings import Settings
from solver.errors import FieldError, InvalidInput
from solver.instance import Instance, parse_instance
from solver.model.size import estimate_size


@dataclass(frozen=True)
class Prepared:
    """A checked request: the instance, the worker's JSON payload and the time limit applied."""

    instance: Instance
    payload: str
    time_limit: TimeLimit
    notes: list[str]
    kind: str  # `solve`, or `split` (the request has split options)


def check_instance(raw: object, settings: Settings) -> Instance:
    """Validate an instance under this server's limits, or raise a 422 `ApiError`."""
    limits = instance_limit_errors(
        raw,
        max_providers=settings.max_providers,
        max_municipalities=settings.max_municipalities,
    )
    if limits:
        raise invalid(InvalidInput(limits), "instance")
    try:
        return parse_instance(raw)
    except InvalidInput as exc:
        raise invalid(exc, "instance") from None


def check_model_size(instance: Instance, settings: Settings) -> None:
    """422 when the instance's model would be larger than this server solves (before any build).

    The model's columns are estimated from providers × municipalities × care types
    (`solver.model.size`); memory grows with them, so a request inside every other limit cannot
    take a worker to many gigabytes.
    """
    size = estimate_size(instance)
    if size.columns <= settings.max_model_columns:
        return
    message = (
        f"the model would have about {size.columns:,} columns ({size.flows:,} client flows: "
        f"{len(instance.providers):,} providers' offers × the municipalities they serve with "
        f"demand) and {size.rows:,} rows, needing about {size.memory_mb:,} MiB; this server "
        f"solves at most {settings.max_model_columns:,} columns (DEKKEND_MAX_MODEL_COLUMNS)"
    )
    raise invalid(InvalidInput([FieldError("providers", message)]), "instance")


def prepare(body: SolveRequest, settings: Settings, *, max_time_limit_s: float) -> Prepared:
    """Check `body`; clamp its time limit to `max_time_limit_s`; build the worker payload."""
    instance = check_instance(body.instance, settings)
    check_model_size(instance, settings)
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
    if body.split is None:
        request["game"] = game
    else:
        kind = "split"
        request["split"] = {**body.split.model_dump(exclude_none=True), **game}
    return Prepared(instance, json.dumps(request), limit, notes, kind)
