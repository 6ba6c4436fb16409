"""GET /v1/examples and /v1/examples/{name}: the bundled instances, to try the API with."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from api.deps import SettingsDep
from api.errors import ApiError, ErrorBody

router = APIRouter(prefix="/v1/examples", tags=["examples"])

ExampleName = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]


def _names(folder: FilePath) -> list[str]:
    """The instance files in `folder` (not manifests or other JSON: they name no schema)."""
    return sorted(p.stem for p in folder.glob("*.json") if p.is_file() and _is_instance(p))


def _is_instance(path: FilePath) -> bool:
    with path.open("rb") as handle:
        return b'"schema_version"' in handle.read(4096)


@router.get("", response_model=list[str], summary="Names of the bundled instances")
def list_examples(settings: SettingsDep) -> Any:
    """No token needed: these instances are public."""
    return _names(settings.examples_dir)


@router.get(
    "/{name}",
    responses={
        200: {
            "description": "The instance (SPEC §1)",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        404: {"model": ErrorBody, "description": "No bundled instance of that name."},
        422: {"model": ErrorBody, "description": "Not a possible instance name."},
    },
    summary="A bundled instance",
)
def get_example(name: ExampleName, settings: SettingsDep) -> Response:
    """The instance file as it is bundled, e.g. `tiny` (small), `achterhoek` (221 bidders)."""
    # The name pattern allows no `/` or `..`, and only listed files are served.
    if name not in _names(settings.examples_dir):
        raise ApiError(404, f"no bundled instance {name!r}")
    text = (settings.examples_dir / f"{name}.json").read_bytes()
    return Response(content=text, media_type="application/json")
