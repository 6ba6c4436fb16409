"""Errors translated once at the HTTP boundary: each class to one status, never a traceback.

Every error response is `ErrorBody`: `detail` in plain words, and for 422 the SPEC §7 `errors[]`
with `where` saying what the paths are relative to (`instance` and `result` paths are exactly the
CLI's, e.g. `providers[17].offers[2].price`; `request` paths start at the body, e.g.
`options.time_limit_s`).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from solver.errors import FieldError, InvalidInput
from solver.i18n import from_accept_language
from solver.i18n.messages import E_, say
from solver.instance import format_path

log = logging.getLogger(__name__)

Where = Literal["instance", "result", "request"]


class ErrorItem(BaseModel):
    """One input error at a JSON path (SPEC §7 `errors[]`)."""

    path: str
    message: str


class ErrorBody(BaseModel):
    """The body of every 4xx/5xx answer."""

    detail: str = Field(description="What went wrong, in plain words.")
    status: Literal["invalid"] | None = Field(
        None, description="`invalid` (SPEC §6) when the input broke the rules (422)."
    )
    where: Where | None = Field(None, description="What the `errors[].path`s are relative to.")
    errors: list[ErrorItem] = Field(default_factory=list)


class ApiError(Exception):
    """An answer other than 2xx, raised anywhere in a route."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        where: Where | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail
        self.errors = errors or []
        self.where = where
        self.headers = headers

    def body(self, lang: str = "en") -> dict[str, Any]:
        """The JSON body of this answer; each error's message in `lang` (its path as it is)."""
        return ErrorBody(
            detail=say(self.detail, lang),
            status="invalid" if self.status_code == 422 else None,
            where=self.where,
            errors=[ErrorItem(path=e.path, message=say(e.message, lang)) for e in self.errors],
        ).model_dump(mode="json", exclude_none=True)


def invalid(error: InvalidInput, where: Where) -> ApiError:
    """422 for an `InvalidInput` from the library, with every error and its path."""
    count = len(error.errors)
    return ApiError(422, invalid_detail(where, count), errors=error.errors, where=where)


def invalid_detail(where: str, count: int) -> str:
    """The `detail` of a 422: 'invalid instance: 3 error(s)'."""
    return E_("invalid {what}: {n} error(s)").format(what=where, n=count)


# Documented on every route, so that clients (and schemathesis) know each answer's shape.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Missing or unknown bearer token."},
    413: {"model": ErrorBody, "description": "Body larger than the server's limit."},
    415: {"model": ErrorBody, "description": "Body is not `application/json`."},
    422: {"model": ErrorBody, "description": "Invalid input; every error with its path."},
    500: {"model": ErrorBody, "description": "Internal error (details only in the server log)."},
}


def install_handlers(app: FastAPI) -> None:
    """Map every exception to an `ErrorBody` answer."""
    app.add_exception_handler(ApiError, _api_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _internal_error)


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    # English unless the client asks for Dutch (the page does; curl and scripts get English)
    lang = from_accept_language(request.headers.get("accept-language"), fallback="en")
    return JSONResponse(exc.body(lang), status_code=exc.status_code, headers=exc.headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for item in exc.errors():
        loc = tuple(item.get("loc", ()))
        if loc and loc[0] in ("body", "query", "path", "header"):
            loc = loc[1:] if loc[0] == "body" else loc
        errors.append(FieldError(format_path(loc), _message(item)))
    return await _api_error(
        request,
        ApiError(422, invalid_detail("request", len(errors)), errors=errors, where="request"),
    )


def _message(item: dict[str, Any]) -> str:
    """Pydantic's message, with the offending value when it is short (never a whole object)."""
    message = str(item.get("msg", "invalid"))
    value = item.get("input")
    shown = repr(value)
    if isinstance(value, str | int | float | bool) and len(shown) <= 60 and shown not in message:
        return f"{message}, not {shown}"
    return message


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        # Starlette names the methods of the first route whose path matched; the path's routes
        # together allow more (GET and POST /v1/jobs are two routes)
        allowed = _allowed_methods(request)
        headers["Allow"] = ", ".join(allowed)
        detail = f"{request.method} is not allowed here; allowed: {', '.join(allowed)}"
    return JSONResponse(
        ErrorBody(detail=detail).model_dump(mode="json", exclude_none=True),
        status_code=exc.status_code,
        headers=headers or None,
    )


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path answers (each asked of the routes, as a request)."""
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.routes
            if isinstance(route, BaseRoute)
        )
    ]


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    # The traceback is logged for the operator; the client gets one plain sentence.
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    body = ErrorBody(detail="internal server error; the details are in the server log")
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=500)


def outcome_error(
    kind: str, error_kind: str | None, message: str | None, errors: list[dict[str, str]]
) -> ApiError:
    """The answer for a worker that ended without a result (see api.jobs.worker)."""
    if kind == "invalid":
        items = [FieldError(e["path"], e["message"]) for e in errors]
        return invalid(InvalidInput(items), "instance")
    text = message or "the solve failed"
    if error_kind == "unknown_backend":
        return ApiError(
            422,
            "invalid request: 1 error(s)",
            errors=[FieldError("options.backend", text)],
            where="request",
        )
    if error_kind == "not_supported":
        return ApiError(422, text)
    # A crash, a kill or a bug: a plain sentence, the rest is in the server log.
    return ApiError(500, text)
