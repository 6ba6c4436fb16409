"""The first door every request meets: its token is checked before any byte of its body is read.

`AuthGate` is plain ASGI middleware, outermost in the stack: a request to a route that needs a
token and comes without a valid one is answered 401 from its headers alone (one SQLite lookup by
primary key), whatever its body; the connection is then closed, so a 20 MB body is never read.
The tenant it found travels on in the request's state (`request.state.tenant`) for the routes.
Public routes (health, the bundled examples, the API docs, the page at `/` and its files)
pass without a token.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.auth import Unauthorized, tenant_for

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Paths answered without a token: these exactly, or anything below one of the prefixes.
PUBLIC = ("/", "/v1/health", "/v1/examples", "/docs", "/redoc", "/openapi.json")
PUBLIC_BELOW = ("/v1/examples/", "/docs/", "/web/")


def is_public(path: str) -> bool:
    """Whether `path` is answered without a token."""
    return path in PUBLIC or path.startswith(PUBLIC_BELOW)


class AuthGate:
    """401 for a request without a valid token, before its body is read; else the tenant."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the `Authorization` header of every non-public HTTP request."""
        if scope["type"] != "http" or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        header = None
        for key, value in scope["headers"]:
            if key.lower() == b"authorization":
                header = value.decode("latin-1")
                break
        try:
            tenant = tenant_for(state.store, header, open_mode=state.settings.open_mode)
        except Unauthorized as exc:
            await _unauthorized(send, str(exc))
            return
        scope.setdefault("state", {})["tenant"] = tenant
        await self.app(scope, receive, send)


async def _unauthorized(send: Send, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", b"Bearer"),
                # the body (if any) stays unread: the connection cannot be reused
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
