"""GET /v1/health: is the service up, and how deep is the queue."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import APIRouter

from api.deps import RunnerDep, SettingsDep, StoreDep
from api.schemas import Health

router = APIRouter(prefix="/v1", tags=["service"])


def _version() -> str:
    try:
        return version("dekkend")
    except PackageNotFoundError:
        return "unknown"


@router.head("/health", include_in_schema=False)
@router.get("/health", response_model=Health, summary="Liveness and queue depth")
def health(settings: SettingsDep, store: StoreDep, runner: RunnerDep) -> Any:
    """No token needed. Reads the database, so a 200 means jobs can be stored (HEAD: no body)."""
    counts = store.counts()
    return {
        "version": _version(),
        "workers": settings.workers,
        "queued": counts["queued"],
        "running": counts["running"],
        "open_mode": settings.open_mode,
    }
