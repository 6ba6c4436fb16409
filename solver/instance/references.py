"""SPEC §1 validation, pass 2: references and uniqueness, read defensively from the raw JSON.

It runs even when pass 1 found broken shapes, so a user sees every problem in one go.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from solver.errors import FieldError
from solver.i18n.messages import E_
from solver.instance.schema import GAME_RULES

_UNKNOWN = {
    "municipality": E_("unknown municipality {value}"),
    "lot": E_("unknown lot {value}"),
    "care_type": E_("unknown care type {value}"),
    "provider": E_("unknown provider {value}"),
}


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
                FieldError(
                    f"{path}.id",
                    E_("duplicate id {id} (first at {where})").format(
                        id=repr(ident), where=first[ident]
                    ),
                )
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
        self.errors.append(FieldError(path, _UNKNOWN[kind].format(value=repr(value))))
        return False


def reference_errors(raw: dict[str, Any]) -> list[FieldError]:
    """Dangling references, duplicate ids and funding-specific fields, each with its path."""
    errors: list[FieldError] = []
    if isinstance(raw.get("schema_version"), bool):
        errors.append(FieldError("schema_version", E_("must be 1, not a boolean")))
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
                    E_("{id} is also a provider id; every contract party needs its own id").format(
                        id=repr(ident)
                    ),
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
    _horizon_errors(raw, ref, errors)
    return errors


def _horizon_errors(raw: dict[str, Any], ref: _RefChecker, errors: list[FieldError]) -> None:
    """SPEC §8: unique period ids, known care types in factor maps, each term one run of periods."""
    horizon = raw.get("horizon")
    if not isinstance(horizon, dict):
        return
    repeats: list[FieldError] = []
    _unique_ids(horizon, "periods", repeats)
    for e in repeats:
        message = e.message.replace("(first at ", "(first at horizon.")
        errors.append(FieldError(f"horizon.{e.path}", message))
    seen: list[str] = []
    current: str | None = None
    for path, period in _records(horizon, "periods"):
        path = f"horizon.{path}"
        factor = period.get("demand_factor")
        if isinstance(factor, dict):
            for care in factor:
                ref(f"{path}.demand_factor.{care}", care, "care_type")
        term = period.get("term")
        term = term if isinstance(term, str) else (current or "1")
        if term != current:
            if term in seen:
                errors.append(
                    FieldError(
                        f"{path}.term",
                        E_(
                            "term {term} comes back after term {current} started; a term is one "
                            "run of consecutive periods"
                        ).format(term=repr(term), current=repr(current)),
                    )
                )
            seen.append(term)
            current = term


def _lot_errors(path: str, lot: dict[str, Any]) -> list[FieldError]:
    """Fields that exist for one funding model only."""
    funding = lot.get("funding")
    errors = []
    for field, needs in (("task_budget", "task_based"), ("population_rate", "population_based")):
        present = lot.get(field) is not None
        if funding == needs and not present:
            errors.append(
                FieldError(
                    f"{path}.{field}", E_("required for a {funding} lot").format(funding=needs)
                )
            )
        elif present and isinstance(funding, str) and funding != needs:
            errors.append(
                FieldError(
                    f"{path}.{field}",
                    E_("only for {needs} lots; this lot is {funding}").format(
                        needs=needs, funding=funding
                    ),
                )
            )
    if lot.get("risk_margin") is not None and isinstance(funding, str) and funding != "lump_sum":
        errors.append(
            FieldError(
                f"{path}.risk_margin",
                E_("only for {needs} lots; this lot is {funding}").format(
                    needs="lump_sum", funding=funding
                ),
            )
        )
    if lot.get("open_house") is True and lot.get("max_contracts") is not None:
        errors.append(
            FieldError(
                f"{path}.max_contracts",
                E_("must be absent in an Open House lot: it contracts every bidder"),
            )
        )
    return errors


def _cell(ref: _RefChecker, path: str, item: dict[str, Any]) -> tuple[str, str] | None:
    """The (municipality, care type) an item names, or None when either reference is unknown."""
    ok_m = ref(f"{path}.municipality", item.get("municipality"), "municipality")
    ok_c = ref(f"{path}.care_type", item.get("care_type"), "care_type")
    return (item["municipality"], item["care_type"]) if ok_m and ok_c else None


def _demand_errors(raw: dict[str, Any], ref: _RefChecker, errors: list[FieldError]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for path, item in _records(raw, "demand"):
        pair = _cell(ref, path, item)
        if pair is not None:
            if pair in seen:
                errors.append(
                    FieldError(
                        path,
                        E_(
                            "repeats the demand for {care} in {municipality} (first at {where})"
                        ).format(care=pair[1], municipality=pair[0], where=seen[pair]),
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
                        FieldError(
                            f"{path}.municipalities[{j}]",
                            E_("{id} is listed twice").format(id=repr(m)),
                        )
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
                        E_("care type {care} is offered twice (first at {where})").format(
                            care=repr(care), where=f"offers[{offered[care]}]"
                        ),
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
        pair = _cell(ref, f"{path}.{ipath}", inc)
        if pair is not None:
            if pair in seen:
                errors.append(
                    FieldError(
                        f"{path}.{ipath}",
                        E_("repeats the incumbent clients of {care} in {municipality}").format(
                            care=pair[1], municipality=pair[0]
                        ),
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
                errors.append(
                    FieldError(
                        f"{path}.members[{j}]", E_("{id} is listed twice").format(id=repr(member))
                    )
                )
            listed.add(member)
    lead = consortium.get("lead")
    if isinstance(lead, str) and lead not in members:
        errors.append(
            FieldError(
                f"{path}.lead", E_("lead {id} is not one of the members").format(id=repr(lead))
            )
        )


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
        if split.get("rule") in GAME_RULES:
            rule = split["rule"]
            errors.append(
                FieldError(
                    f"{base}.by_lot", E_("does not apply to the {rule} rule").format(rule=rule)
                )
            )
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
                E_("splits by youth population, but every municipality has youth_population 0"),
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
        errors.append(FieldError(f"{base}.weights", E_("required for the key rule")))
    if not isinstance(weights, dict):
        return
    for m in weights:
        ref(f"{base}.weights.{m}", m, "municipality")
    missing = [m for m in municipalities if m not in weights]
    if missing:
        errors.append(
            FieldError(
                f"{base}.weights",
                E_("no weight for {municipalities}").format(municipalities=", ".join(missing)),
            )
        )
    values = [v for v in weights.values() if isinstance(v, int | float) and not isinstance(v, bool)]
    if values and len(values) == len(weights) and all(v == 0 for v in values):
        errors.append(
            FieldError(f"{base}.weights", E_("all weights are 0; at least one must be > 0"))
        )
