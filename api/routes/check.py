"""POST /v1/check: the independent checker of SPEC §2–§6 over HTTP (as `dekkend check`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import RawBody, SettingsDep, Tenant
from api.errors import COMMON_RESPONSES, invalid
from api.limits import instance_limit_errors
from api.prepare import InstanceLimits, offloaded, valid_instance
from api.schemas import CheckRequest, CheckResponse
from solver.check import check
from solver.errors import InvalidInput
from solver.result import parse_result

router = APIRouter(prefix="/v1", tags=["check"])


@router.post(
    "/check",
    response_model=CheckResponse,
    responses=COMMON_RESPONSES,
    summary="Check a result against an instance",
)
def check_result(body: CheckRequest, raw: RawBody, tenant: Tenant, settings: SettingsDep) -> Any:
    """Judge a result: 200 with `ok` and every broken rule.

    A result that breaks rules is still 200 (`ok: false`); 422 when the instance or the result
    itself is malformed.
    """
    request = {"instance": body.instance, "result": body.result}
    try:
        return offloaded(judge, request, (InstanceLimits.of(settings),), raw, settings)
    except InvalidInput as exc:
        raise invalid(exc, "result" if exc.what == "result" else "instance") from None


def judge(request: dict[str, Any], limits: InstanceLimits) -> dict[str, Any]:
    """The checker's verdict on a request's result (maybe isolated), or `InvalidInput`."""
    instance = valid_instance(request.get("instance"), limits)
    raw_result = request.get("result")
    # The result's numbers feed the checker's integer arithmetic: bound them like the instance's.
    huge = instance_limit_errors(raw_result, max_providers=2**62, max_municipalities=2**62)
    if huge:
        raise InvalidInput(huge, what="result")
    report = check(instance, parse_result(raw_result))
    return {
        "ok": report.ok,
        "violations": [{"rule": v.rule, "message": v.message} for v in report.violations],
        "objective": report.objective,
        "regional_cost": report.regional_cost,
    }
