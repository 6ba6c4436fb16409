"""POST /v1/validate: whether an instance is valid (SPEC §1) and within this server's limits."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import SettingsDep, Tenant
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
def validate(body: ValidateRequest, tenant: Tenant, settings: SettingsDep) -> Any:
    """Validate an instance: 200 with its size, or 422 with every error's path.

    The paths are the CLI's (`dekkend validate`), relative to the instance.
    """
    instance = check_instance(body.instance, settings)
    return {
        "name": instance.name,
        "municipalities": len(instance.municipalities),
        "providers": len(instance.providers),
        "consortia": len(instance.consortia),
        "care_types": len(instance.care_types),
        "lots": len(instance.lots),
    }
