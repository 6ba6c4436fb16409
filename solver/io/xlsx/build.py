"""Tables of a workbook -> SPEC §1 JSON data -> `Instance`, with every error at its `sheet!cell`.

While building the JSON data, every JSON path (`providers[3].offers[2].price`) is recorded with
the cell it came from, so the errors of `parse_instance` can be reported where a person can fix
them (`offers!D17: price must be ≥ 0`). Cells that cannot be read at all are reported here and
the schema's second opinion on them is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from solver.errors import FieldError, InvalidInput
from solver.i18n.messages import E_

# `_translate` words pydantic errors the way `parse_instance` does; reused for orphan rows.
from solver.instance import Incumbent, Instance, Offer, parse_instance
from solver.instance.messages import translate_errors
from solver.io.xlsx.cells import (
    CellError,
    is_blank,
    read_choice,
    read_flag,
    read_id,
    read_id_list,
    read_number,
    read_text,
)
from solver.io.xlsx.layout import SETTING_BY_NAME, Column, Kind
from solver.io.xlsx.locate import DROP, compose, locate
from solver.io.xlsx.places import error_order, setting_keys
from solver.io.xlsx.tables import Table, Uncomputed

_READERS: dict[Kind, Callable[[Any], Any]] = {
    "id": read_id,
    "ref": read_id,
    "refs": read_id_list,
    "text": read_text,
    "choice": read_choice,
    "flag": read_flag,
    "count": lambda v: read_number(v, whole=True),
    "int": lambda v: read_number(v, whole=True),
    "money": lambda v: read_number(v, whole=False),
    "number": lambda v: read_number(v, whole=False, percent=True),
}


def build_instance(
    tables: dict[str, Table], errors: list[FieldError], what: str = "workbook"
) -> Instance:
    """Build and validate; raise `InvalidInput` with `errors` plus everything found here.

    `what` names the source in the error's heading ("invalid CSV folder: 2 error(s)").
    """
    builder = _Builder(errors)
    raw = builder.raw(tables)
    try:
        instance = parse_instance(raw)
    except InvalidInput as exc:
        builder.add_schema_errors(exc.errors)
        instance = None
    if builder.errors or instance is None:
        raise InvalidInput(builder.sorted_errors(), what)
    return instance


class _Builder:
    """Holds the JSON path -> cell map and the errors while the JSON data is built."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        self.loc: dict[str, tuple[str, str | None]] = {}
        self.bad: set[str] = set()  # cells with an error of their own

    # -- reading cells ------------------------------------------------------------------------

    def fail(self, ref: str, message: str) -> None:
        """Report a problem at a cell (or row)."""
        self.errors.append(FieldError(ref, message))
        self.bad.add(ref)

    def cell(self, table: Table, row: int, values: tuple[Any, ...], column: Column) -> Any:
        """Read one cell by its column's kind; a bad cell is reported and its raw value kept."""
        if column.name not in table.columns:
            return None
        raw = table.value(values, column.name)
        if isinstance(raw, Uncomputed):
            self.fail(
                table.ref(row, column.name),
                f"{column.name}: the formula {raw} has no computed value (the file was written "
                "by a program; open and save it in Excel, or type the value)",
            )
            return None
        try:
            return _READERS[column.kind](raw) if column.kind != "any" else raw
        except CellError as exc:
            self.fail(table.ref(row, column.name), compose(column.name, str(exc)))
            return None if is_blank(raw) else raw

    def rows(self, table: Table | None) -> list[tuple[int, tuple[Any, ...]]]:
        """The rows with data in a column that is read."""
        if table is None:
            return []
        read = [c.name for c in table.sheet.columns if not c.informational]
        return [
            (row, values)
            for row, values in table.rows
            if any(not is_blank(table.value(values, name)) for name in read)
        ]

    def record(
        self, table: Table, row: int, values: tuple[Any, ...], path: str, skip: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """One row as a JSON object at `path`, remembering where each field came from."""
        self.loc[path] = (table.row_ref(row), None)
        item: dict[str, Any] = {}
        for column in table.sheet.columns:
            if column.informational or column.name in skip:
                continue
            if column.name not in table.columns:
                if column.required:
                    self.loc[f"{path}.{column.name}"] = DROP
                continue
            ref = table.ref(row, column.name)
            self.loc[f"{path}.{column.name}"] = (ref, column.name)
            value = self.cell(table, row, values, column)
            if value is None:
                continue
            item[column.name] = value
            if column.kind == "refs" and isinstance(value, list):
                for j in range(len(value)):
                    self.loc[f"{path}.{column.name}[{j}]"] = (ref, column.name)
        return item

    # -- building the JSON data ---------------------------------------------------------------

    def raw(self, tables: dict[str, Table]) -> dict[str, Any]:
        """The SPEC §1 JSON data of the workbook."""
        raw: dict[str, Any] = {"schema_version": 1}
        for key in ("municipalities", "lots", "care_types", "demand", "providers", "consortia"):
            table = tables.get(key)
            if table is None:
                raw[key] = []
                self.loc[key] = DROP
                continue
            raw[key] = [
                self.record(table, row, values, f"{key}[{i}]")
                for i, (row, values) in enumerate(self.rows(table))
            ]
        self._nested(tables, raw["providers"])
        self._horizon(tables, raw)
        policy = tables.get("policy")
        if policy is None:
            self.loc["name"] = DROP
        else:
            self._policy(policy, raw)
        return raw

    def _horizon(self, tables: dict[str, Table], raw: dict[str, Any]) -> None:
        """Sheets periods and period_demand into `horizon.periods` (SPEC §8), when given."""
        table = tables.get("periods")
        rows = self.rows(table)
        if table is None or not rows:
            for row, _ in self.rows(tables.get("period_demand")):
                self.fail(tables["period_demand"].row_ref(row), E_("there is no sheet periods"))
            return
        periods = [self.record(table, row, values, f"horizon.periods[{i}]")
                   for i, (row, values) in enumerate(rows)]  # fmt: skip
        raw.setdefault("horizon", {})["periods"] = periods
        self.loc["horizon"] = (f"{table.title}!A1", None)
        index = {p.get("id"): i for i, p in enumerate(periods) if isinstance(p.get("id"), str)}
        care = tables.get("period_demand")
        for row, values in self.rows(care):
            assert care is not None
            layout = care.sheet
            period = self.cell(care, row, values, layout.column("period"))
            care_type = self.cell(care, row, values, layout.column("care_type"))
            factor = self.cell(care, row, values, layout.column("demand_factor"))
            i = index.get(period)
            if i is None:
                if isinstance(period, str):
                    self.fail(
                        care.ref(row, "period"),
                        "period: " + E_("unknown period {value}").format(value=repr(period)),
                    )
                continue
            if not isinstance(care_type, str) or factor is None:
                continue
            given = periods[i].get("demand_factor")
            if given is not None and not isinstance(given, dict):
                why = f"period {period} has a demand_factor on sheet periods: give one or the other"
                self.fail(care.ref(row, "period"), why)
                continue
            periods[i]["demand_factor"] = {**(given or {}), care_type: factor}
            path = f"horizon.periods[{i}].demand_factor.{care_type}"
            self.loc[path] = (care.ref(row, "demand_factor"), "demand_factor")

    def _nested(self, tables: dict[str, Table], providers: list[dict[str, Any]]) -> None:
        """Offers, access costs and incumbent clients, attached to their provider by id."""
        index: dict[str, int] = {}
        for position, provider in enumerate(providers):
            provider.setdefault("offers", [])
            if isinstance(provider.get("id"), str):
                index.setdefault(provider["id"], position)
        if "offers" not in tables:
            for position in range(len(providers)):
                self.loc[f"providers[{position}].offers"] = DROP
        for sheet, key in (("offers", "offers"), ("incumbents", "incumbent")):
            table = tables.get(sheet)
            for row, values in self.rows(table):
                assert table is not None
                i = self._provider(table, row, values, index)
                if i is None:
                    self._orphan(table, row, values, Offer if sheet == "offers" else Incumbent)
                    continue
                items = providers[i].setdefault(key, [])
                path = f"providers[{i}].{key}[{len(items)}]"
                items.append(self.record(table, row, values, path, skip=("provider",)))
        table = tables.get("access_cost")
        first: dict[tuple[int, str], str] = {}
        for row, values in self.rows(table):
            assert table is not None
            i = self._provider(table, row, values, index)
            layout = table.sheet
            m = self.cell(table, row, values, layout.column("municipality"))
            cost = self.cell(table, row, values, layout.column("access_cost"))
            if i is None or not isinstance(m, str) or not m:
                if i is not None and m is None and "municipality" in table.columns:
                    self.fail(table.ref(row, "municipality"), "municipality " + E_("is required"))
                continue
            where = table.ref(row, "municipality")
            if (i, m) in first:
                self.fail(
                    where,
                    E_(
                        "repeats the access cost of this provider in {municipality} (first at "
                        "{where})"
                    ).format(municipality=m, where=first[i, m]),
                )
                continue
            first[i, m] = where
            if cost is None:
                if "access_cost" in table.columns:
                    self.fail(table.ref(row, "access_cost"), "access_cost " + E_("is required"))
                continue
            providers[i].setdefault("access_cost", {})[m] = cost
            path = f"providers[{i}].access_cost.{m}"
            value_ref = table.ref(row, "access_cost") if "access_cost" in table.columns else where
            self.loc[path] = (value_ref, "access_cost")
            self.loc[path + "#key"] = (where, "municipality")

    def _orphan(
        self, table: Table, row: int, values: tuple[Any, ...], model: type[BaseModel]
    ) -> None:
        """A row of a provider that does not exist: still check its cells, so all errors show."""
        path = f"_orphan[{row}]"
        item = self.record(table, row, values, path, skip=("provider",))
        try:
            model.model_validate(item)
        except ValidationError as exc:
            self.add_schema_errors(
                [replace(e, path=f"{path}.{e.path}") for e in translate_errors(exc)]
            )

    def _provider(
        self, table: Table, row: int, values: tuple[Any, ...], index: dict[str, int]
    ) -> int | None:
        """The index of the provider a row names, or None after reporting why not."""
        if "provider" not in table.columns:
            return None
        ident = self.cell(table, row, values, table.sheet.column("provider"))
        ref = table.ref(row, "provider")
        if ident is None:
            self.fail(ref, "provider " + E_("is required"))
        elif isinstance(ident, str) and ident not in index:
            self.fail(ref, "provider: " + E_("unknown provider {value}").format(value=repr(ident)))
        elif isinstance(ident, str):
            return index[ident]
        return None

    def _policy(self, table: Table, raw: dict[str, Any]) -> None:
        """One setting per row, into `name`, `schema_version` and `policy`."""
        seen: dict[tuple[str, str | None, str | None], str] = {}
        sheet = table.sheet
        for row, values in self.rows(table):
            name = self.cell(table, row, values, sheet.column("setting"))
            lot = self.cell(table, row, values, sheet.column("lot"))
            m = self.cell(table, row, values, sheet.column("municipality"))
            where = table.ref(row, "setting")
            setting = SETTING_BY_NAME.get(name) if isinstance(name, str) else None
            if name is None:
                self.fail(where, "setting " + E_("is required"))
                continue
            if setting is None:
                if where not in self.bad:
                    known = ", ".join(SETTING_BY_NAME)
                    self.fail(
                        where,
                        "setting: "
                        + E_("unknown setting {value} (expected {known})").format(
                            value=repr(name), known=known
                        ),
                    )
                continue
            given = {"lot": lot, "municipality": m}
            problems = [
                f"{setting.name} takes no {what}"
                for what, v in given.items()
                if v is not None and what not in setting.scope
            ] + [f"{setting.name} needs a {what}" for what in setting.needs if given[what] is None]
            if problems:
                self.fail(where, "; ".join(problems))
                continue
            key = (setting.name, lot, m)
            if key in seen:
                self.fail(
                    where,
                    E_("repeats setting {setting} (first at {where})").format(
                        setting=setting.name, where=seen[key]
                    ),
                )
                continue
            seen[key] = where
            if "value" not in table.columns or not all(isinstance(v, str | None) for v in (lot, m)):
                continue
            keys = setting_keys(setting.name, lot, m)
            path = ".".join(keys)
            self.loc[path] = (table.ref(row, "value"), setting.name)
            self.loc.setdefault(".".join(keys[:-1]), (table.row_ref(row), None))
            if lot is not None:
                lot_ref = (table.ref(row, "lot"), "lot")
                self.loc.setdefault(f"policy.cost_split.by_lot.{lot}#key", lot_ref)
            if m is not None:
                self.loc.setdefault(path + "#key", (table.ref(row, "municipality"), "municipality"))
            value = self.cell(table, row, values, Column("value", setting.kind, setting.meaning))
            if value is not None:
                target = raw
                for part in keys[:-1]:
                    target = target.setdefault(part, {})
                target[keys[-1]] = value

    # -- errors -------------------------------------------------------------------------------

    def add_schema_errors(self, errors: list[FieldError]) -> None:
        """Translate `parse_instance` errors from JSON paths to cells."""
        for error in errors:
            mapped = locate(error, self.loc)
            if mapped is not None and mapped.path not in self.bad:
                self.errors.append(mapped)

    def sorted_errors(self) -> list[FieldError]:
        """Errors in sheet order, then row, then column; each once."""
        unique = list(dict.fromkeys(self.errors))
        return sorted(unique, key=error_order)
