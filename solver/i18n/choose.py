"""Which language a person gets: an explicit choice, else `DEKKEND_LANG`, else Dutch."""

from __future__ import annotations

import os
from collections.abc import Mapping

from solver.i18n.catalogue import LANGUAGES

DEFAULT = "nl"


def choose_language(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """`explicit` (e.g. `--lang`), else `DEKKEND_LANG`, else Dutch; ValueError for another one."""
    environ = os.environ if env is None else env
    lang = (explicit or environ.get("DEKKEND_LANG") or DEFAULT).strip().lower()
    if lang not in LANGUAGES:
        source = "--lang" if explicit else "DEKKEND_LANG"
        raise ValueError(f"{source}: must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def from_accept_language(header: str | None, fallback: str = DEFAULT) -> str:
    """The best of our languages in an HTTP `Accept-Language` header (`nl-NL,en;q=0.8`)."""
    best, best_q = fallback, -1.0
    for item in (header or "").split(","):
        tag, _, params = item.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        if lang in LANGUAGES and q > best_q:
            best, best_q = lang, q
    return best
