"""POST /v1/validate: whether an instance is valid (SPEC §1) and within this server's limits."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter

from api.deps import RawBody, SettingsDep, Tenant
from api.errors import COMMON_RESPONSES
from api.prepare import check_instance
from api.schemas import ValidateRequest, ValidateResponse

router = APIRouter(prefix="/v1", tags=["validate"])


@router.post(
    "/validate",
    response_model=ValidateResponse,
    responses=COMMON_RESPONSES,
    summary="Validate an instance",
)
def validate(body: ValidateRequest, raw: RawBody, tenant: Tenant, settings: SettingsDep) -> Any:
    """Validate an instance: 200 with its size, or 422 with every error's path.

    The paths are the CLI's (`dekkend validate`), relative to the instance.
    """
    return asdict(check_instance({"instance": body.instance}, raw, settings))
