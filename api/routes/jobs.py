"""Jobs: long solves that are stored before 202 and survive restarts (SPEC §7)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response

from api.deps import RawBody, RunnerDep, SettingsDep, StoreDep, Tenant
from api.errors import COMMON_RESPONSES, ApiError, ErrorBody
from api.jobs.rows import JobRow
from api.jobs.store import TenantBusy
from api.prepare import prepare
from api.schemas import JobCreated, JobPage, JobView, SolveRequest
from api.workbooks import WORKBOOK_CONTENT, WORKBOOK_UPLOAD, wants_workbook, workbook_response
from solver.i18n import from_accept_language
from solver.i18n.messages import E_
from solver.instance import parse_instance
from solver.result import Result

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such job (for this tenant)."}
}
NO_RESULT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "The job has no result (yet)."}
}
_BUSY: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorBody, "description": "The tenant has its most queued and running jobs."}
}
JobId = Annotated[str, Path(max_length=64, description="The id POST /v1/jobs returned.")]
RETRY_AFTER_S = 30  # a 429's advice: about as long as a typical job takes


def view(row: JobRow, *, result: bool) -> dict[str, Any]:
    """A stored job as its API view (the result only when asked for and present)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "state": row.state,
        "instance": row.instance_name,
        "created_at": _when(row.created_at),
        "started_at": _when(row.started_at),
        "finished_at": _when(row.finished_at),
        "attempts": row.attempts,
        "time_limit_s": row.time_limit_s,
        "cancel_requested": row.cancel_requested,
        "notes": row.notes,
        "progress": row.progress if row.state == "running" else None,
        "error": row.error,
        "result": json.loads(row.result) if result and row.result else None,
    }


def _when(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def found(row: JobRow | None, job_id: str) -> JobRow:
    """The job, or 404 (a job of another tenant is 404 too)."""
    if row is None:
        raise ApiError(404, E_("no job {id}").format(id=repr(job_id)))
    return row


@router.post(
    "",
    status_code=202,
    response_model=JobCreated,
    responses={**COMMON_RESPONSES, **_BUSY},
    summary="Submit a solve as a job",
    openapi_extra=WORKBOOK_UPLOAD,
)
def submit(
    body: SolveRequest,
    raw: RawBody,
    tenant: Tenant,
    settings: SettingsDep,
    store: StoreDep,
    runner: RunnerDep,
    response: Response,
) -> Any:
    """Validate, store (committed before this answers) and queue a solve; 202 with its id.

    The time limit is clamped to `DEKKEND_MAX_JOB_TIME_LIMIT_S` (default 600 s). Poll
    `Location` (GET /v1/jobs/{id}) for progress and the result. A tenant with
    `DEKKEND_MAX_JOBS_PER_TENANT` queued and running jobs (default 20) gets 429 with
    `Retry-After`. Jobs run fairly between tenants: the next to start is the oldest of the tenant
    with the fewest running.
    """
    prepared = prepare(body, raw, settings, max_time_limit_s=settings.max_job_time_limit_s)
    try:
        row = store.submit(
            tenant,
            prepared.payload,
            instance_name=prepared.instance.name,
            notes=prepared.notes,
            time_limit_s=prepared.time_limit.used_s,
            kind=prepared.kind,
            max_active=settings.max_jobs_per_tenant,
        )
    except TenantBusy as exc:
        raise ApiError(429, str(exc), headers={"Retry-After": str(RETRY_AFTER_S)}) from None
    runner.wake()
    location = f"/v1/jobs/{row.id}"
    response.headers["Location"] = location
    return {
        "id": row.id,
        "state": row.state,
        "location": location,
        "time_limit": prepared.time_limit,
    }


@router.get("", response_model=JobPage, responses=COMMON_RESPONSES, summary="List your jobs")
def list_jobs(
    tenant: Tenant,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(pattern=r"^[0-9]{1,18}$")] = None,
) -> Any:
    """The caller's jobs, newest first, without results; follow `next_cursor` for more."""
    rows = store.list(tenant, limit=limit + 1, before=int(cursor) if cursor else None)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "jobs": [view(r, result=False) for r in rows],
        "next_cursor": str(rows[-1].seq) if more else None,
    }


@router.get(
    "/{job_id}",
    response_model=JobView,
    responses={**COMMON_RESPONSES, **NOT_FOUND},
    summary="A job: state, progress, result",
)
def get_job(job_id: JobId, tenant: Tenant, store: StoreDep) -> Any:
    """A job's state, progress while running, and the result once there is one.

    States: `queued | running | done | failed | cancelled`. Another tenant's job is 404,
    exactly like a missing one.
    """
    return view(found(store.get(job_id, tenant, with_result=True), job_id), result=True)


@router.get(
    "/{job_id}/result",
    response_model=Result,
    responses={
        200: {"content": WORKBOOK_CONTENT, "description": "The result (JSON, or .xlsx on Accept)"},
        **COMMON_RESPONSES,
        **NOT_FOUND,
        **NO_RESULT,
    },
    summary="Just the result of a job (the CLI's result JSON, or its workbook)",
)
def get_result(
    job_id: JobId,
    tenant: Tenant,
    store: StoreDep,
    accept: Annotated[str | None, Header()] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> Any:
    """The result JSON alone, as `dekkend solve` writes it (e.g. for `dekkend check`).

    `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` answers with the
    result workbook of `dekkend solve --out result.xlsx` instead.
    """
    row = found(store.get(job_id, tenant, with_result=True, with_request=True), job_id)
    if row.result is None:
        why = row.error or f"the job is {row.state}"
        raise ApiError(409, E_("job {id} has no result: {why}").format(id=repr(job_id), why=why))
    result = json.loads(row.result)
    if wants_workbook(accept) and row.request is not None:
        # the stored request passed validation before the job was queued
        instance = parse_instance(json.loads(row.request)["instance"])
        return workbook_response(instance, result, from_accept_language(accept_language))
    return result


@router.delete(
    "/{job_id}",
    response_model=JobView,
    responses={**COMMON_RESPONSES, **NOT_FOUND},
    summary="Cancel a job",
)
def cancel_job(job_id: JobId, tenant: Tenant, store: StoreDep, runner: RunnerDep) -> Any:
    """Stop a job, or delete a finished one.

    A queued job is cancelled at once; a running solve is asked to stop and keeps the best plan
    found so far (as `feasible`, state `cancelled`). A finished job (done, failed, cancelled) is
    deleted with its result: the answer is the job as it was, and GET answers 404 from then on.
    Finished jobs are deleted anyway after `DEKKEND_JOB_RETENTION_DAYS` (default 30).
    """
    row = found(store.cancel(job_id, tenant), job_id)
    if row.state == "running":
        runner.request_stop(job_id)
    return view(row, result=True)
