"""Route dependencies as `Annotated` aliases: settings, store, runner and the caller's tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import Unauthorized, tenant_for
from api.errors import ApiError
from api.jobs.runner import Runner
from api.jobs.store import JobStore
from api.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="An API token from `dekkend token create`.")


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _store(request: Request) -> JobStore:
    return request.app.state.store  # type: ignore[no-any-return]


def _runner(request: Request) -> Runner:
    return request.app.state.runner  # type: ignore[no-any-return]


def _raw_body(request: Request) -> bytes | None:
    """The body as `api.limits.BodyGuard` read and checked it (a workbook: its JSON request)."""
    body: bytes | None = getattr(request.state, "body", None)
    return body


SettingsDep = Annotated[Settings, Depends(_settings)]
RawBody = Annotated[bytes | None, Depends(_raw_body, use_cache=True)]
StoreDep = Annotated[JobStore, Depends(_store)]
RunnerDep = Annotated[Runner, Depends(_runner)]


def _tenant(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    # `api.gate.AuthGate` checked the token before the body was read; `_bearer` documents it
    known: str | None = getattr(request.state, "tenant", None)
    if known is not None:
        return known
    header = request.headers.get("authorization")
    try:
        return tenant_for(store, header, open_mode=settings.open_mode)
    except Unauthorized as exc:
        raise ApiError(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from None


Tenant = Annotated[str, Depends(_tenant)]
