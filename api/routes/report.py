"""A job's report: the same HTML page as `dekkend report`, in the caller's language."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse

from api.deps import StoreDep, Tenant
from api.errors import COMMON_RESPONSES, ApiError
from api.routes.jobs import NO_RESULT, NOT_FOUND, JobId, found
from solver.i18n import LANGUAGES, from_accept_language
from solver.i18n.messages import E_
from solver.instance import parse_instance
from solver.result import Result

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


@router.get(
    "/{job_id}/report",
    responses={
        200: {
            "content": {"text/html": {"schema": {"type": "string"}}},
            "description": "One self-contained HTML page.",
        },
        **COMMON_RESPONSES,
        **NOT_FOUND,
        **NO_RESULT,
    },
    summary="A job's report for a council (HTML, Dutch or English)",
)
def get_report(
    job_id: JobId,
    tenant: Tenant,
    store: StoreDep,
    lang: Annotated[str | None, Query(pattern="^(nl|en)$", description="nl or en")] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> Any:
    """The plan in brief, contracts by name, coverage, who moves, the split (`dekkend report`).

    The language is `?lang=`, else the best of nl and en in `Accept-Language`, else Dutch.
    Print it to PDF from the browser (A4, a page per section).
    """
    row = found(store.get(job_id, tenant, with_result=True, with_request=True), job_id)
    if row.result is None or row.request is None:
        why = row.error or f"the job is {row.state}"
        raise ApiError(409, E_("job {id} has no result: {why}").format(id=repr(job_id), why=why))
    said = lang if lang in LANGUAGES else from_accept_language(accept_language)
    # imported on use: matplotlib takes 0.4 s to load, which the other routes need not pay
    from solver.report.html import render_report

    # the stored request passed validation before the job was queued
    instance = parse_instance(json.loads(row.request)["instance"])
    result = Result.model_validate(json.loads(row.result))
    page = render_report(result, instance, lang=said)
    return HTMLResponse(page, headers={"Content-Language": said})
