"""Defences behind the token check: body size, content type, hostile JSON and workbooks, sizes.

`BodyGuard` is plain ASGI middleware that reads the body of a POST to a route that takes one
(after `api.gate.AuthGate` let the request in), so nothing behind it ever sees a body that is too
large (counted byte by byte: the Content-Length header is checked first but never trusted), not
JSON, not parseable, not Unicode or nested deeper than any real instance. An `.xlsx` upload is
turned into the JSON request in a process of its own (`api.uploads`). It then replays the body to
the app. `instance_limit_errors` bounds the instance's size and numbers before the (more
expensive) schema validation runs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio.to_thread

from api.errors import invalid_detail
from api.isolated import run_isolated
from api.uploads import UploadSettings, workbook_to_request
from api.workbooks import UPLOAD_PATHS, is_workbook
from solver.errors import FieldError, InvalidInput
from solver.i18n import from_accept_language
from solver.i18n.messages import say
from solver.instance import format_path, parse_json_text

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_DEPTH = 32  # a SPEC §1 instance is 5 levels deep; a request around it 7
MAX_NUMBER = 1e15  # euros, clients, inhabitants: anything larger is a mistake or an attack
# The routes that take a body (all POST); any other request passes on to the router, which answers
# a wrong method with 405 (tests/api/test_api_http.py keeps this list equal to the app's routes).
BODY_PATHS = frozenset({"/v1/solve", "/v1/jobs", "/v1/validate", "/v1/check"})
# Bodies larger than this are checked, and their instance validated, in an isolated process
# (`api.isolated`): validating a large instance is a long native call that would stall the event
# loop (2,000 providers × 20 offers, 2.6 MB: 0.2 s, and /v1/health slowed to 0.4 s). The
# bundled Groningen is 0.15 MB.
ISOLATE_BYTES = 512 * 1024


class BodyGuard:
    """Refuse oversized (413), non-JSON (415) and malformed or hostile JSON (422) bodies."""

    def __init__(self, app: ASGIApp, max_bytes: int, uploads: UploadSettings) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the body of POST/PUT/PATCH requests, then pass the request on."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in BODY_PATHS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send, 413, self._too_large())
            return
        workbook = is_workbook(headers.get("content-type", "")) and scope["path"] in UPLOAD_PATHS
        if not workbook and not _is_json(headers.get("content-type", "")):
            await _refuse(send, 415, "the body must be JSON (Content-Type: application/json)")
            return
        if not workbook and scope.get("query_string"):
            # options of a JSON request belong in its body; a query would be silently ignored
            await _refuse_errors(send, _query_on_json(scope["query_string"]), scope)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _refuse(send, 413, self._too_large())
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if workbook:
            converted = await _from_workbook(send, body, scope, self.uploads)
            if converted is None:
                return
            body = converted
        # Parsing megabytes takes a while: off the event loop, and for a large body off the
        # server process altogether (its walks over every value would slow every request).
        if len(body) < 65536:
            problems = json_problem(body)
        elif len(body) <= ISOLATE_BYTES:
            problems = await anyio.to_thread.run_sync(json_problem, body)
        else:
            problems = await anyio.to_thread.run_sync(self._isolated_json_problem, body)
        if problems:
            await _refuse(send, 422, "invalid request: the body is not acceptable JSON", problems)
            return
        scope.setdefault("state", {})["body"] = body  # for the routes' isolated validation
        await self.app(scope, _replay(body, receive), send)

    def _isolated_json_problem(self, body: bytes) -> list[FieldError]:
        try:
            problems: list[FieldError] = run_isolated(
                json_problem,
                (body,),
                time_limit_s=self.uploads.time_limit_s,
                memory_mb=self.uploads.memory_mb,
                what="request",
            )
        except InvalidInput as exc:
            return exc.errors
        return problems

    def _too_large(self) -> str:
        return f"the body is larger than this server's limit of {self.max_bytes} bytes"


async def _from_workbook(
    send: Send, body: bytes, scope: Scope, uploads: UploadSettings
) -> bytes | None:
    """The JSON request for an .xlsx upload, its headers rewritten; None when refused (422)."""
    query = scope.get("query_string", b"").decode("latin-1")
    try:
        converted = await workbook_to_request(body, query, uploads)
    except InvalidInput as exc:
        await _refuse_errors(send, exc, scope)
        return None
    scope["headers"] = [
        (k, v) for k, v in scope["headers"] if k.lower() not in (b"content-type", b"content-length")
    ] + [(b"content-type", b"application/json"), (b"content-length", str(len(converted)).encode())]
    return converted


async def _refuse_errors(send: Send, error: InvalidInput, scope: Scope) -> None:
    """422 with every error of an uploaded workbook (sheet!cell paths) or its query options.

    In Dutch when the client asks for it (`Accept-Language`), like every other error answer.
    """
    where = "request" if error.what == "request" else "instance"
    headers = {k.lower(): v for k, v in scope["headers"]}
    asked = headers[b"accept-language"].decode("latin-1") if b"accept-language" in headers else None
    lang = from_accept_language(asked, fallback="en")
    body = {
        "detail": say(invalid_detail(where, len(error.errors)), lang),
        "status": "invalid",
        "where": where,
        "errors": [{"path": e.path, "message": say(e.message, lang)} for e in error.errors],
    }
    await _send_json(send, 422, body)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def json_problem(body: bytes) -> list[FieldError]:
    """Why `body` is not acceptable JSON (syntax, encoding, Unicode, depth); [] when it is."""
    try:
        data = parse_json_text(body, "request")
    except InvalidInput as exc:
        if any("nested too deeply" in e.message for e in exc.errors):
            return [FieldError("", f"the JSON is nested deeper than {MAX_DEPTH} levels")]
        return exc.errors
    if _depth(data) > MAX_DEPTH:
        return [FieldError("", f"the JSON is nested deeper than {MAX_DEPTH} levels")]
    return []


def _query_on_json(query: bytes) -> InvalidInput:
    """The 422 for options given in the query string of a JSON request."""
    names = sorted({part.split(b"=", 1)[0].decode("latin-1") for part in query.split(b"&")})
    return InvalidInput(
        [
            FieldError(
                f"query.{name}",
                "options of a JSON request go in its body (`options`); the query string carries "
                "them only for an .xlsx upload",
            )
            for name in names
        ],
        "request",
    )


def _depth(data: Any) -> int:
    """Nesting depth of JSON data, without recursion (hostile input must not blow the stack)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((v, level + 1) for v in value)
    return deepest


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replay


async def _refuse(
    send: Send, status: int, detail: str, problems: list[FieldError] | None = None
) -> None:
    body: dict[str, Any] = {"detail": detail}
    if problems:
        body.update(status="invalid", where="request", errors=[e.as_dict() for e in problems])
    await _send_json(send, status, body)


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def instance_limit_errors(
    raw: Any, *, max_providers: int, max_municipalities: int
) -> list[FieldError]:
    """Errors for an instance over this server's size limits or with absurd numbers."""
    errors: list[FieldError] = []
    if not isinstance(raw, dict):
        return errors
    for key, limit, setting in (
        ("providers", max_providers, "DEKKEND_MAX_PROVIDERS"),
        ("municipalities", max_municipalities, "DEKKEND_MAX_MUNICIPALITIES"),
    ):
        items = raw.get(key)
        if isinstance(items, list) and len(items) > limit:
            errors.append(
                FieldError(
                    key, f"{len(items)} {key}; this server accepts at most {limit} ({setting})"
                )
            )
    errors.extend(_huge_numbers(raw))
    return errors


def _huge_numbers(data: Any, limit: int = 10) -> list[FieldError]:
    """Paths of numbers beyond ±MAX_NUMBER (the first `limit` of them)."""
    found: list[FieldError] = []
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(data, ())]
    while stack and len(found) < limit:
        value, loc = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, (*loc, str(k))) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*loc, i)) for i, v in enumerate(value))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and abs(value) > MAX_NUMBER:
            # Python ints are unbounded: never convert one to float (OverflowError) to show it.
            found.append(
                FieldError(
                    format_path(loc),
                    f"a {len(str(abs(value)))}-digit number "
                    f"is too large (at most {MAX_NUMBER:.0e})",
                )
            )
        elif isinstance(value, float) and math.isfinite(value) and abs(value) > MAX_NUMBER:
            found.append(
                FieldError(format_path(loc), f"{value:.3g} is too large (at most {MAX_NUMBER:.0e})")
            )
    return sorted(found, key=lambda e: e.path)
