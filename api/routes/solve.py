"""POST /v1/solve: a synchronous solve with a short (clamped) time limit."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header

from api.deps import RawBody, RunnerDep, SettingsDep, Tenant
from api.errors import COMMON_RESPONSES, ApiError, ErrorBody, outcome_error
from api.jobs.runner import Busy
from api.prepare import prepare
from api.schemas import SolveRequest, SolveResponse
from api.workbooks import WORKBOOK_CONTENT, WORKBOOK_UPLOAD, wants_workbook, workbook_response
from solver.i18n import from_accept_language
from solver.instance import parse_instance

router = APIRouter(prefix="/v1", tags=["solve"])


@router.post(
    "/solve",
    response_model=SolveResponse,
    responses={
        200: {"content": WORKBOOK_CONTENT, "description": "The result (JSON, or .xlsx on Accept)"},
        **COMMON_RESPONSES,
        503: {"model": ErrorBody, "description": "Every solve slot is busy; retry or use a job."},
    },
    summary="Solve an instance now and wait for the result",
    openapi_extra=WORKBOOK_UPLOAD,
)
def solve(
    body: SolveRequest,
    raw: RawBody,
    tenant: Tenant,
    settings: SettingsDep,
    runner: RunnerDep,
    accept: Annotated[str | None, Header()] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> Any:
    """Solve within a short time limit (at most `DEKKEND_MAX_SYNC_TIME_LIMIT_S`, default 30 s).

    The body is JSON, or an `.xlsx` workbook (Content-Type
    `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, options in the query
    string); `Accept` with that type answers with the result workbook.

    A larger limit is clamped, and `time_limit` and `notes` say so. `infeasible` and
    `no_solution` are results (200); an invalid instance is 422 with every error's path. For
    longer solves, submit a job (POST /v1/jobs).
    """
    prepared = prepare(body, raw, settings, max_time_limit_s=settings.max_sync_time_limit_s)
    try:
        outcome = runner.solve_now(prepared.payload, prepared.time_limit.used_s)
    except Busy as exc:
        raise ApiError(503, str(exc), headers={"Retry-After": "5"}) from None
    if outcome.kind != "result" or outcome.result is None:
        raise outcome_error(outcome.kind, outcome.error_kind, outcome.message, outcome.errors)
    result = json.loads(outcome.result)
    result["notes"] = [*result.get("notes", []), *prepared.notes]
    result["time_limit"] = prepared.time_limit.model_dump()
    if wants_workbook(accept):
        # validated before the solve (and by the worker): the workbook needs its full model
        lang = from_accept_language(accept_language)
        return workbook_response(parse_instance(body.instance), result, lang)
    return result
