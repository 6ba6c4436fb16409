"""Scenario settings: `PATH=VALUES` strings that change one instance field over a list of values.

A path walks the instance JSON: `policy.max_contracts`, `lots[ambulant].min_providers` (a list
item chosen by its `id`), `providers[3].contract_cost` (by position),
`providers[p1].access_cost.g02` (a map key). Values are `start:stop:step` (stop included) or a
comma list; each item is read as JSON when it can be (`20`, `0.5`, `null`, `true`) and as a
string otherwise. `null` removes an optional rule, e.g. `lots[ambulant].max_share=null,0.4`.

Every scenario is validated by the instance schema; an error names the `--set` that caused it.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from solver.errors import FieldError, InvalidInput
from solver.instance import Instance, parse_instance

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\]]+\])*)$")
_MAX_VALUES = 10_000


@dataclass(frozen=True)
class Setting:
    """One `--set PATH=VALUES`: the path and the values it takes."""

    text: str
    path: str
    values: tuple[Any, ...]


def parse_setting(text: str) -> Setting:
    """Read `PATH=VALUES`; raise `InvalidInput` naming the `--set` when it cannot be read."""
    where = f"--set {text}"
    path, sep, spec = text.partition("=")
    path, spec = path.strip(), spec.strip()
    if not sep or not path or not spec:
        raise InvalidInput([FieldError(where, "must be PATH=VALUES")], "setting")
    _steps(path, where)  # the path must at least be well formed
    return Setting(text, path, tuple(_values(spec, where)))


def _values(spec: str, where: str) -> list[Any]:
    parts = spec.split(":")
    if len(parts) == 3 and all(_is_number(p) for p in parts):
        start, stop, step = (Decimal(p.strip()) for p in parts)
        if step <= 0 or stop < start:
            raise InvalidInput(
                [FieldError(where, "a range start:stop:step needs step > 0 and stop ≥ start")],
                "setting",
            )
        count = int((stop - start) / step) + 1
        if count > _MAX_VALUES:
            raise InvalidInput(
                [FieldError(where, f"{count} values; at most {_MAX_VALUES} per --set")], "setting"
            )
        integral = all(float(d) == int(d) for d in (start, step))
        return [
            int(start + i * step) if integral else float(start + i * step) for i in range(count)
        ]
    if ":" in spec and len(parts) != 1 and all(_is_number(p) for p in parts):
        raise InvalidInput([FieldError(where, "a range is start:stop:step")], "setting")
    return [_literal(item.strip()) for item in spec.split(",")]


def _is_number(text: str) -> bool:
    try:
        Decimal(text.strip())
    except InvalidOperation:
        return False
    return True


def _literal(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _steps(path: str, where: str) -> list[tuple[str, str | int]]:
    """`lots[a].max_share` -> [("key", "lots"), ("item", "a"), ("key", "max_share")]."""
    steps: list[tuple[str, str | int]] = []
    for segment in path.split("."):
        match = _SEGMENT.match(segment)
        if match is None:
            raise InvalidInput(
                [FieldError(where, f"cannot read the path part {segment!r}")], "setting"
            )
        steps.append(("key", match.group(1)))
        for selector in re.findall(r"\[([^\]]+)\]", match.group(2)):
            steps.append(("item", int(selector) if selector.isdigit() else selector))
    return steps


def _walk(raw: Any, steps: list[tuple[str, str | int]], where: str) -> tuple[Any, str | int]:
    """The container holding the last step, and the key or index within it."""
    node = raw
    for i, (kind, key) in enumerate(steps):
        last = i == len(steps) - 1
        if kind == "key":
            if not isinstance(node, dict):
                raise InvalidInput(
                    [FieldError(where, f"{key!r} is not inside an object")], "setting"
                )
            if last:
                return node, key
            if key not in node or node[key] is None:
                node[key] = {}  # an absent optional object, e.g. policy.cost_split
            node = node[key]
        else:
            if not isinstance(node, list):
                raise InvalidInput([FieldError(where, f"[{key}] needs a list")], "setting")
            index = _index(node, key, where)
            if last:
                return node, index
            node = node[index]
    raise InvalidInput([FieldError(where, "empty path")], "setting")


def _index(items: list[Any], key: str | int, where: str) -> int:
    if isinstance(key, int):
        if key >= len(items):
            raise InvalidInput(
                [FieldError(where, f"index {key} is past the end ({len(items)} items)")], "setting"
            )
        return key
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == key:
            return i
    raise InvalidInput([FieldError(where, f"no item with id {key!r}")], "setting")


GROWTH = "horizon.growth"  # `dekkend sweep --growth`: demand × (1 + g)^t in period t


def growth_setting(text: str) -> Setting:
    """`--growth 0:0.05:0.01` as a setting of every horizon period's demand factor."""
    return Setting(f"growth={text}", GROWTH, tuple(_values(text, f"--growth {text}")))


def _with_growth(raw: dict[str, Any], growth: Any) -> dict[str, Any]:
    """Period t's demand_factor (1 + growth)^t, rounded to 9 decimals; needs a horizon."""
    where = f"--growth {growth}"
    periods = (raw.get("horizon") or {}).get("periods")
    if not periods:
        why = "needs an instance with a horizon (SPEC §8), e.g. instances/achterhoek-horizon.json"
        raise InvalidInput([FieldError(where, why)], "setting")
    if not isinstance(growth, int | float) or isinstance(growth, bool) or growth <= -1:
        raise InvalidInput([FieldError(where, "a yearly growth is a number > -1")], "setting")
    out = copy.deepcopy(raw)
    for t, period in enumerate(out["horizon"]["periods"]):
        period["demand_factor"] = round((1 + growth) ** t, 9)
    return out


def apply(raw: dict[str, Any], setting: Setting, value: Any) -> dict[str, Any]:
    """A copy of the instance JSON with the setting's path set to `value`."""
    if setting.path == GROWTH:
        return _with_growth(raw, value)
    out = copy.deepcopy(raw)
    where = f"--set {setting.text}"
    container, key = _walk(out, _steps(setting.path, where), where)
    container[key] = value
    return out


def scenario(base: dict[str, Any], settings: list[Setting], values: tuple[Any, ...]) -> Instance:
    """The validated instance of one combination of values; errors name the `--set`s."""
    raw = base
    for setting, value in zip(settings, values, strict=True):
        raw = apply(raw, setting, value)
    try:
        return parse_instance(raw)
    except InvalidInput as exc:
        chosen = ", ".join(
            f"{s.path}={json.dumps(v)}" for s, v in zip(settings, values, strict=True)
        )
        raise InvalidInput(
            [FieldError(f"--set {chosen}: {e.path}", e.message) for e in exc.errors], "scenario"
        ) from None


def validate_settings(base: dict[str, Any], settings: list[Setting]) -> None:
    """Try every value of every setting alone on the base instance; report every error at once."""
    errors: list[FieldError] = []
    for setting in settings:
        for value in setting.values:
            changed = apply(base, setting, value)  # a bad path raises, naming the --set
            try:
                parse_instance(changed)
            except InvalidInput as exc:
                for e in exc.errors:
                    errors.append(
                        FieldError(
                            f"--set {setting.text}",
                            f"value {json.dumps(value)}: {e.path}: {e.message}",
                        )
                    )
    if errors:
        raise InvalidInput(errors, "setting")
