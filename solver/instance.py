"""SPEC §1: the instance schema, strict, and one validator that reports every error with its path.

Validation runs in two passes over the same raw JSON, and both always run, so a user sees
every problem at once: pydantic checks shapes and values (unknown fields, booleans or strings
where numbers belong, NaN and infinity, negatives), and `_reference_errors` checks what pydantic
cannot see (dangling references, duplicate ids, a lead outside its consortium, a care type
offered twice). The second pass reads the raw data defensively, so it still works when the first
found broken shapes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from solver.errors import FieldError, InvalidInput

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"

# Upper bounds far above any region (the Dutch youth-care budget is ~5e9 euros a year) that keep
# every number exact in float64 and in CP-SAT's int64 cents: no silent overflow downstream.
MAX_MONEY = 1e12
MAX_COUNT = 10**9

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Fraction = Annotated[float, Field(ge=0, le=1)]

Funding = Literal["fee_for_service", "lump_sum", "task_based", "population_based"]
SplitRule = Literal["usage", "population", "mixed", "key", "shapley"]
LotSplitRule = Literal["usage", "population", "mixed", "key"]


class _Strict(BaseModel):
    """Every schema object: unknown fields are errors, no type coercion, finite numbers only."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Municipality(_Strict):
    """A gemeente of the region."""

    id: Id
    name: str | None = None
    youth_population: Count


class Lot(_Strict):
    """A perceel of the tender, with its funding model and its rules."""

    id: Id
    name: str | None = None
    funding: Funding
    task_budget: Money | None = None
    population_rate: Money | None = None
    budget_cap: Money | None = None
    min_providers: Annotated[int, Field(ge=1, le=MAX_COUNT)] = 1
    max_contracts: Count | None = None
    max_units_per_municipality: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    max_share: Annotated[float, Field(gt=0, le=1)] | None = None
    risk_margin: Money | None = None

    @property
    def margin(self) -> float:
        """The lump-sum risk margin, 0 when absent."""
        return self.risk_margin or 0.0


class CareType(_Strict):
    """A care type (zorgvorm); it belongs to exactly one lot."""

    id: Id
    name: str | None = None
    lot: Id


class Demand(_Strict):
    """Expected clients per year of one care type in one municipality."""

    municipality: Id
    care_type: Id
    clients: Count


class Offer(_Strict):
    """A provider's bid for one care type."""

    care_type: Id
    capacity: Count
    price: Money
    min_clients: Count = 0
    quality: Fraction = 0.5


class Incumbent(_Strict):
    """Clients in care with a provider today (continuïteit van zorg)."""

    municipality: Id
    care_type: Id
    clients: Count


class Provider(_Strict):
    """An aanbieder: a bidder that can be contracted alone or as a consortium member."""

    id: Id
    name: str | None = None
    contract_cost: Money
    municipalities: list[Id] | None = None
    offers: list[Offer]
    access_cost: dict[str, Money] = Field(default_factory=dict)
    incumbent: list[Incumbent] = Field(default_factory=list)


class Consortium(_Strict):
    """A joint bid (zorgcoöperatie / hoofdaannemer) that contracts as one party."""

    id: Id
    name: str | None = None
    lead: Id
    members: Annotated[list[Id], Field(min_length=2)]
    contract_cost: Money


class LotSplit(_Strict):
    """The split rule for one lot's payout (SPEC §5 `by_lot`)."""

    rule: LotSplitRule
    usage_weight: Fraction | None = None
    weights: dict[str, Money] | None = None


class CostSplit(_Strict):
    """How the regional cost is split over the municipalities (SPEC §5)."""

    rule: SplitRule = "mixed"
    usage_weight: Fraction | None = None
    weights: dict[str, Money] | None = None
    by_lot: dict[str, LotSplit] | None = None
    samples: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    seed: int | None = None


class Policy(_Strict):
    """The region's choices."""

    max_contracts: Count | None = None
    transfer_cost: Money = 0.0
    quality_weight: Money = 0.0
    cost_split: CostSplit = Field(default_factory=CostSplit)


class Instance(_Strict):
    """A whole tender: municipalities, lots, care types, demand, bidders and policy."""

    schema_version: Literal[1]
    name: str
    municipalities: list[Municipality]
    lots: list[Lot]
    care_types: list[CareType]
    demand: list[Demand]
    providers: list[Provider]
    consortia: list[Consortium] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)


# ----------------------------------------------------------------------------------------------
# Entry points


def parse_instance(raw: Any) -> Instance:
    """Validate raw JSON data (as from `json.load`) into an `Instance`, or raise `InvalidInput`."""
    errors: list[FieldError] = []
    instance: Instance | None = None
    try:
        instance = Instance.model_validate(raw)
    except ValidationError as exc:
        errors.extend(_translate(exc))
    if isinstance(raw, dict):
        errors.extend(_reference_errors(raw))
    if errors or instance is None:
        raise InvalidInput(_dedupe(errors))
    return instance


def read_json(path: str | Path, what: str = "instance") -> Any:
    """Read a JSON file, turning unreadable or malformed files into `InvalidInput`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput([FieldError("", f"cannot read {path}: {exc}")], what) from None
    return parse_json_text(text, what)


def parse_json_text(text: str | bytes, what: str = "instance") -> Any:
    """Parse JSON text; NaN and Infinity literals pass through so the schema names their path."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput([FieldError("", f"not valid JSON: {exc}")], what) from None


def load_instance(path: str | Path) -> Instance:
    """Read and validate an instance file."""
    return parse_instance(read_json(path))


def dump_instance(instance: Instance) -> dict[str, Any]:
    """The instance as JSON data, without fields left at their defaults."""
    return instance.model_dump(mode="json", exclude_defaults=True)


# ----------------------------------------------------------------------------------------------
# Pass 1: pydantic errors in plain words


def format_path(loc: tuple[int | str, ...]) -> str:
    """('providers', 17, 'offers', 2, 'price') -> 'providers[17].offers[2].price'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_ID_RULE = (
    "must be an id: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"
)


def _plain_message(error: Any) -> str:
    """Say a pydantic error the way SPEC §1 says its rules."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in {"int_type", "int_from_float", "int_parsing", "float_type", "float_parsing"}:
        what = "a whole number" if kind.startswith("int") else "a number"
        if isinstance(value, bool):
            return f"must be {what}, not {str(value).lower()}"
        if isinstance(value, float) and not math.isfinite(value):
            return "must be a finite number (no NaN or infinity)"
        return f"must be {what}, not {_describe(value)}"
    messages = {
        "missing": "required",
        "extra_forbidden": "unknown field (is it a typo?)",
        "finite_number": "must be a finite number (no NaN or infinity)",
        "greater_than_equal": f"must be ≥ {_number(ctx.get('ge'))}",
        "greater_than": f"must be > {_number(ctx.get('gt'))}",
        "less_than_equal": f"must be ≤ {_number(ctx.get('le'))}",
        "less_than": f"must be < {_number(ctx.get('lt'))}",
        "string_type": f"must be a string, not {_describe(value)}",
        "string_pattern_mismatch": _ID_RULE,
        "list_type": f"must be a list, not {_describe(value)}",
        "dict_type": f"must be an object, not {_describe(value)}",
        "model_type": f"must be an object, not {_describe(value)}",
        "model_attributes_type": f"must be an object, not {_describe(value)}",
        "too_short": f"must have at least {ctx.get('min_length')} items",
        "literal_error": f"must be one of {ctx.get('expected')}",
    }
    return messages.get(kind, error["msg"])


def _number(value: Any) -> str:
    """1.0 -> '1', 0.5 -> '0.5'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:17] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int | float):
        return _number(value)
    names: dict[type, str] = {dict: "an object", list: "a list"}
    return names.get(type(value), type(value).__name__)


def _translate(exc: ValidationError) -> list[FieldError]:
    return [FieldError(format_path(e["loc"]), _plain_message(e)) for e in exc.errors()]


def _dedupe(errors: list[FieldError]) -> list[FieldError]:
    return list(dict.fromkeys(errors))  # keeps the first of each, in order


# ----------------------------------------------------------------------------------------------
# Pass 2: references and uniqueness, on the raw data


def _records(raw: Any, key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (path, object) for each object in list `raw[key]`, skipping broken shapes."""
    items = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield f"{key}[{i}]", item


def _unique_ids(raw: dict[str, Any], key: str, errors: list[FieldError]) -> dict[str, str]:
    """Map id -> path of its first occurrence; report each repeat."""
    first: dict[str, str] = {}
    for path, item in _records(raw, key):
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            errors.append(
                FieldError(f"{path}.id", f"duplicate id {ident!r} (first at {first[ident]})")
            )
        else:
            first[ident] = path
    return first


class _RefChecker:
    """Collects 'unknown X' errors against the id sets of one instance."""

    def __init__(self, errors: list[FieldError], known: dict[str, dict[str, str]]) -> None:
        self.errors = errors
        self.known = known

    def __call__(self, path: str, value: Any, kind: str) -> bool:
        """Report `value` at `path` unless it is a known id of `kind`; True when it is known."""
        if not isinstance(value, str):
            return False  # pass 1 reports the wrong type
        if value in self.known[kind]:
            return True
        self.errors.append(FieldError(path, f"unknown {kind.replace('_', ' ')} {value!r}"))
        return False


def _reference_errors(raw: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    if isinstance(raw.get("schema_version"), bool):
        errors.append(FieldError("schema_version", "must be 1, not a boolean"))
    known = {
        key: _unique_ids(raw, key, errors)
        for key in ("municipalities", "lots", "care_types", "providers", "consortia")
    }
    known["municipality"] = known["municipalities"]
    known["lot"] = known["lots"]
    known["care_type"] = known["care_types"]
    known["provider"] = known["providers"]
    ref = _RefChecker(errors, known)

    for path, item in _records(raw, "consortia"):
        ident = item.get("id")
        if isinstance(ident, str) and ident in known["providers"]:
            errors.append(
                FieldError(
                    f"{path}.id",
                    f"{ident!r} is also a provider id; every contract party needs its own id",
                )
            )
    for path, item in _records(raw, "care_types"):
        ref(f"{path}.lot", item.get("lot"), "lot")
    for path, item in _records(raw, "lots"):
        errors.extend(_lot_errors(path, item))
    _demand_errors(raw, ref, errors)
    for path, item in _records(raw, "providers"):
        _provider_errors(path, item, ref, errors)
    for path, item in _records(raw, "consortia"):
        _consortium_errors(path, item, ref, errors)
    _cost_split_errors(raw, ref, errors)
    return errors


def _lot_errors(path: str, lot: dict[str, Any]) -> list[FieldError]:
    """Fields that exist for one funding model only."""
    funding = lot.get("funding")
    errors = []
    for field, needs in (("task_budget", "task_based"), ("population_rate", "population_based")):
        present = lot.get(field) is not None
        if funding == needs and not present:
            errors.append(FieldError(f"{path}.{field}", f"required for a {needs} lot"))
        elif present and isinstance(funding, str) and funding != needs:
            errors.append(
                FieldError(
                    f"{path}.{field}",
                    f"only for {needs} lots; this lot is {funding}",
                )
            )
    if lot.get("risk_margin") is not None and isinstance(funding, str) and funding != "lump_sum":
        errors.append(
            FieldError(f"{path}.risk_margin", f"only for lump_sum lots; this lot is {funding}")
        )
    return errors


def _demand_errors(raw: dict[str, Any], ref: _RefChecker, errors: list[FieldError]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for path, item in _records(raw, "demand"):
        ok_m = ref(f"{path}.municipality", item.get("municipality"), "municipality")
        ok_c = ref(f"{path}.care_type", item.get("care_type"), "care_type")
        if ok_m and ok_c:
            pair = (item["municipality"], item["care_type"])
            if pair in seen:
                errors.append(
                    FieldError(
                        path,
                        f"repeats the demand for {pair[1]} in {pair[0]} (first at {seen[pair]})",
                    )
                )
            else:
                seen[pair] = path


def _provider_errors(
    path: str, provider: dict[str, Any], ref: _RefChecker, errors: list[FieldError]
) -> None:
    served = provider.get("municipalities")
    if isinstance(served, list):
        listed: set[str] = set()
        for j, m in enumerate(served):
            if ref(f"{path}.municipalities[{j}]", m, "municipality"):
                if m in listed:
                    errors.append(
                        FieldError(f"{path}.municipalities[{j}]", f"{m!r} is listed twice")
                    )
                listed.add(m)
    offered: dict[str, int] = {}
    for opath, offer in _records(provider, "offers"):
        care = offer.get("care_type")
        # `ref` reports nothing for a non-string (pass 1 does); the isinstance narrows `care`.
        if isinstance(care, str) and ref(f"{path}.{opath}.care_type", care, "care_type"):
            if care in offered:
                errors.append(
                    FieldError(
                        f"{path}.{opath}.care_type",
                        f"care type {care!r} is offered twice (first at offers[{offered[care]}])",
                    )
                )
            else:
                offered[care] = int(opath.split("[")[1].rstrip("]"))
    access = provider.get("access_cost")
    if isinstance(access, dict):
        for m in access:
            ref(f"{path}.access_cost.{m}", m, "municipality")
    seen: set[tuple[str, str]] = set()
    for ipath, inc in _records(provider, "incumbent"):
        ok_m = ref(f"{path}.{ipath}.municipality", inc.get("municipality"), "municipality")
        ok_c = ref(f"{path}.{ipath}.care_type", inc.get("care_type"), "care_type")
        if ok_m and ok_c:
            pair = (inc["municipality"], inc["care_type"])
            if pair in seen:
                errors.append(
                    FieldError(
                        f"{path}.{ipath}",
                        f"repeats the incumbent clients of {pair[1]} in {pair[0]}",
                    )
                )
            seen.add(pair)


def _consortium_errors(
    path: str, consortium: dict[str, Any], ref: _RefChecker, errors: list[FieldError]
) -> None:
    members = consortium.get("members")
    if not isinstance(members, list):
        return
    listed: set[str] = set()
    for j, member in enumerate(members):
        if ref(f"{path}.members[{j}]", member, "provider"):
            if member in listed:
                errors.append(FieldError(f"{path}.members[{j}]", f"{member!r} is listed twice"))
            listed.add(member)
    lead = consortium.get("lead")
    if isinstance(lead, str) and lead not in members:
        errors.append(FieldError(f"{path}.lead", f"lead {lead!r} is not one of the members"))


def _cost_split_errors(raw: dict[str, Any], ref: _RefChecker, errors: list[FieldError]) -> None:
    policy = raw.get("policy")
    split = policy.get("cost_split") if isinstance(policy, dict) else None
    if not isinstance(split, dict):
        return
    municipalities = ref.known["municipalities"]
    base = "policy.cost_split"
    _weights_errors(base, split, municipalities, ref, errors)
    by_lot = split.get("by_lot")
    if isinstance(by_lot, dict):
        if split.get("rule") == "shapley":
            errors.append(FieldError(f"{base}.by_lot", "does not apply to the shapley rule"))
        for lot, lot_split in by_lot.items():
            if ref(f"{base}.by_lot.{lot}", lot, "lot") and isinstance(lot_split, dict):
                _weights_errors(f"{base}.by_lot.{lot}", lot_split, municipalities, ref, errors)
    rules = [split.get("rule", "mixed")]
    if isinstance(by_lot, dict):
        rules += [s.get("rule") for s in by_lot.values() if isinstance(s, dict)]
    pops = [m.get("youth_population") for _, m in _records(raw, "municipalities")]
    no_population = pops and all(isinstance(p, int) and p == 0 for p in pops)
    if no_population and ({"population", "mixed"} & set(rules)):
        errors.append(
            FieldError(
                f"{base}.rule",
                "splits by youth population, but every municipality has youth_population 0",
            )
        )


def _weights_errors(
    base: str,
    split: dict[str, Any],
    municipalities: dict[str, str],
    ref: _RefChecker,
    errors: list[FieldError],
) -> None:
    """A `key` rule needs a weight for every municipality, not all zero."""
    weights = split.get("weights")
    if split.get("rule") == "key" and weights is None:
        errors.append(FieldError(f"{base}.weights", "required for the key rule"))
    if not isinstance(weights, dict):
        return
    for m in weights:
        ref(f"{base}.weights.{m}", m, "municipality")
    missing = [m for m in municipalities if m not in weights]
    if missing:
        errors.append(FieldError(f"{base}.weights", "no weight for " + ", ".join(missing)))
    values = [v for v in weights.values() if isinstance(v, int | float) and not isinstance(v, bool)]
    if values and len(values) == len(weights) and all(v == 0 for v in values):
        errors.append(FieldError(f"{base}.weights", "all weights are 0; at least one must be > 0"))
