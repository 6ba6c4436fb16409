"""The FastAPI application: `create_app(settings)` and the default `app` (settings from the env).

Run it with `dekkend serve` (one process: the job supervisor lives inside it; never start it with
several uvicorn workers on one database, the database lock refuses the second). `api.app:app`
(e.g. `uvicorn api.app:app`) is built on first access, not at import, so that importing this
module never reads the DEKKEND_* settings: `dekkend serve` reads them itself and reports a bad
one as a clear error.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import install_handlers
from api.gate import AuthGate
from api.jobs.runner import Runner
from api.jobs.store import JobStore
from api.limits import BodyGuard
from api.routes import check, examples, health, jobs, page, report, solve, validate
from api.settings import Settings
from api.uploads import UploadSettings
from solver.instance import Instance

log = logging.getLogger(__name__)

DESCRIPTION = """
Which providers to contract for youth care, what each is paid, and how the regional cost is
split (see SPEC.md). Every route calls the same solver and checker as the `dekkend` CLI.

Send `Authorization: Bearer <token>` (make one with `dekkend token create --tenant NAME`). A
tenant sees only its own jobs. Short solves: `POST /v1/solve`. Long ones: `POST /v1/jobs`, then
poll `GET /v1/jobs/{id}`; jobs are stored before the 202 and survive a server restart.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (default: from the environment). The database opens at startup."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = JobStore(settings.database)
        runner = Runner(store, settings)
        runner.start()
        app.state.store = store
        app.state.runner = runner
        log.info("dekkend: database %s, %d worker(s)", settings.database, settings.workers)
        try:
            yield
        finally:
            runner.shutdown()

    app = FastAPI(
        title="dekkend",
        summary="Youth-care procurement optimisation",
        description=DESCRIPTION,
        version="1",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_handlers(app)
    uploads = UploadSettings(
        limits=settings.workbook_limits,
        time_limit_s=settings.input_time_limit_s,
        memory_mb=settings.worker_memory_limit_mb,
        at_once=settings.workers,
    )
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes, uploads=uploads)
    app.add_middleware(AuthGate)  # added last, so outermost: no body is read before the token
    for module in (solve, jobs, report, validate, check, health, examples, page):
        app.include_router(module.router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with the instance's full schema (SPEC §1) among the components.

    Request bodies carry the instance as JSON data (validated by the solver's own two passes, so
    that every error has its path); their schema refers to `Instance`, added here from the model.
    """
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        instance = Instance.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, part in {**instance.pop("$defs", {}), "Instance": instance}.items():
            if name in components and components[name] != part:
                raise RuntimeError(f"OpenAPI component {name!r} is defined twice, differently")
            components[name] = part
        app.openapi_schema = schema
    return app.openapi_schema


def __getattr__(name: str) -> FastAPI:
    """`app`: the app with settings from the environment, built once on first access."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    built = create_app()
    globals()["app"] = built  # later lookups find it without calling this again
    return built
