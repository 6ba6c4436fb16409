"""POST /v1/solve: a synchronous solve with a short (clamped) time limit."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter

from api.deps import RunnerDep, SettingsDep, Tenant
from api.errors import COMMON_RESPONSES, ApiError, ErrorBody, outcome_error
from api.jobs.runner import Busy
from api.prepare import prepare
from api.schemas import SolveRequest, SolveResponse

router = APIRouter(prefix="/v1", tags=["solve"])


@router.post(
    "/solve",
    response_model=SolveResponse,
    responses={
        **COMMON_RESPONSES,
        503: {"model": ErrorBody, "description": "Every solve slot is busy; retry or use a job."},
    },
    summary="Solve an instance now and wait for the result",
)
def solve(body: SolveRequest, tenant: Tenant, settings: SettingsDep, runner: RunnerDep) -> Any:
    """Solve within a short time limit (at most `DEKKEND_MAX_SYNC_TIME_LIMIT_S`, default 30 s).

    A larger limit is clamped, and `time_limit` and `notes` say so. `infeasible` and
    `no_solution` are results (200); an invalid instance is 422 with every error's path. For
    longer solves, submit a job (POST /v1/jobs).
    """
    prepared = prepare(body, settings, max_time_limit_s=settings.max_sync_time_limit_s)
    try:
        outcome = runner.solve_now(prepared.payload, prepared.time_limit.used_s)
    except Busy as exc:
        raise ApiError(503, str(exc), headers={"Retry-After": "5"}) from None
    if outcome.kind != "result" or outcome.result is None:
        raise outcome_error(outcome.kind, outcome.error_kind, outcome.message, outcome.errors)
    result = json.loads(outcome.result)
    result["notes"] = [*result.get("notes", []), *prepared.notes]
    result["time_limit"] = prepared.time_limit.model_dump()
    return result
