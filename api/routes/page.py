"""The procurement team's page at `/`: upload, progress, stop, downloads (`api/web/`).

The page and its files are public (they hold no data); every call it makes sends the token the
user typed, exactly like curl would. Its texts come from the gettext catalogue
(`/web/texts/{lang}.json`), so the page is in Dutch and English like everything else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse

from api.errors import ApiError
from solver.i18n import gettext_for
from solver.i18n.words import N_, STATUS

router = APIRouter(include_in_schema=False)
WEB = Path(__file__).resolve().parents[1] / "web"
FILES = {"app.js": "text/javascript", "style.css": "text/css"}

TEXTS = {
    "tagline": N_("Youth-care procurement: which providers, what they are paid, who pays what."),
    "language": N_("Language"),
    "upload": N_("Read in a region"),
    "file": N_("Workbook (.xlsx) or instance (.json)"),
    "time": N_("Time limit (seconds)"),
    "token": N_("Access token (empty in open mode)"),
    "start": N_("Solve"),
    "job": N_("Calculation"),
    "state": N_("State"),
    "stop": N_("Stop"),
    "downloads": N_("Download"),
    "xlsx": N_("Result as a workbook (.xlsx)"),
    "json": N_("Result as JSON"),
    "report": N_("Report for the council (HTML)"),
    "not_json": N_("The file is not valid JSON"),
    "state_queued": N_("waiting"),
    "state_running": N_("running"),
    "state_done": N_("done"),
    "state_failed": N_("failed"),
    "state_cancelled": N_("stopped"),
    "result_status": N_("result"),
    "contracts": N_("contracts"),
    "regional_cost": N_("regional cost"),
    "best_so_far": N_("best plan so far"),
}


@router.get("/")
def index() -> Any:
    """The page."""
    return FileResponse(WEB / "index.html", media_type="text/html")


@router.get("/web/texts/{lang}.json")
def texts(lang: Literal["nl", "en"]) -> Any:
    """The page's texts in `lang`, with the words for a result's status."""
    _ = gettext_for(lang)
    words = {key: _(text) for key, text in TEXTS.items()}
    words |= {f"status_{key}": _(text) for key, text in STATUS.items()}
    return JSONResponse(words)


@router.get("/web/{name}")
def asset(name: str) -> Any:
    """The page's script and style sheet (nothing else is served from the folder)."""
    if name not in FILES:
        raise ApiError(404, f"no file {name!r}")
    return FileResponse(WEB / name, media_type=FILES[name])
