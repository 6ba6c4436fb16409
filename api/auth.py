"""Bearer API tokens: random, shown once, stored only as SHA-256; each belongs to one tenant."""

from __future__ import annotations

import hashlib
import re
import secrets

from api.jobs.store import JobStore

TOKEN_PREFIX = "dk_"
OPEN_TENANT = "local"
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class Unauthorized(Exception):
    """No token, or one this server does not know (answered 401)."""


def hash_token(token: str) -> str:
    """The stored form of a token (a token has 256 random bits, so no salt or slow hash needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: JobStore, tenant: str) -> str:
    """Make a new token for `tenant`, store its hash, and return the token itself."""
    if not _TENANT.match(tenant):
        raise ValueError(
            f"tenant must match {_TENANT.pattern} (letters, digits, _ . -), not {tenant!r}"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    store.add_token(hash_token(token), tenant)
    return token


def find_tokens(store: JobStore, which: str) -> list[str]:
    """Stored hashes that `which` names: a token itself (`dk_...`) or a hash prefix (≥ 8 hex).

    A prefix must name exactly one token, so a typo never revokes someone else's.
    """
    which = which.strip()
    hashes = [h for h, _, _ in store.tokens()]
    if which.startswith(TOKEN_PREFIX):
        wanted = hash_token(which)
        return [h for h in hashes if h == wanted]
    if len(which) < 8 or not re.fullmatch(r"[0-9a-f]+", which):
        raise ValueError("name a token by the id `dekkend token list` shows (8+ hex digits)")
    found = [h for h in hashes if h.startswith(which)]
    if len(found) > 1:
        raise ValueError(f"{which!r} names {len(found)} tokens: give more of the id")
    return found


def tenant_for(store: JobStore, authorization: str | None, *, open_mode: bool) -> str:
    """The tenant of an `Authorization: Bearer ...` header, or raise `Unauthorized`.

    In open mode a request without a header is the tenant `local`; a header that is present must
    still be valid, so a mistyped token never silently lands in the shared tenant.
    """
    if not authorization:
        if open_mode:
            return OPEN_TENANT
        raise Unauthorized("missing bearer token: send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    tenant = store.tenant_of(hash_token(token.strip()))
    if tenant is None:
        raise Unauthorized("unknown or revoked token")
    return tenant
