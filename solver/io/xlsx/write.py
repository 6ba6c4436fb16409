"""Write an instance as a procurement workbook (or CSV folder), and the empty template.

Export writes exactly what `read` reads back: reading an exported workbook gives
the identical instance. Every header carries a comment (meaning, unit, allowed values), enum
and id columns get drop-downs, ids are text cells so Excel cannot turn '007' into 7.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from solver.i18n import gettext_for
from solver.instance import Instance, dump_instance, parse_instance, read_json
from solver.io.xlsx.cells import NONE_MARK, exact_number_cell
from solver.io.xlsx.labels import comment, title
from solver.io.xlsx.layout import ALL_SHEETS, POLICY, SETTING_BY_NAME, SETTINGS, Column, Sheet

Row = list[Any]
Target = str | Path | IO[bytes]

_EPOCH = (2000, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_VALIDATED_ROWS = 5000  # drop-downs reach this far down, enough for any region's tender
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_FORMATS = {"money": "#,##0.00##", "count": "0", "int": "0", "id": "@", "ref": "@", "refs": "@"}


def write_instance_workbook(instance: Instance, target: Target, *, lang: str) -> None:
    """Write `instance` as an xlsx workbook to a path or binary file, titled in `lang`."""
    save_deterministic(_workbook(instance_rows(instance), lang), target)


def write_example_workbooks(folder: str | Path, *, lang: str = "nl") -> list[Path]:
    """Export every instance JSON in `folder` (e.g. instances/) to an .xlsx beside it (Dutch)."""
    written = []
    for path in sorted(Path(folder).glob("*.json")):
        data = read_json(path)
        if isinstance(data, dict) and "schema_version" in data:  # skip manifests
            write_instance_workbook(parse_instance(data), path.with_suffix(".xlsx"), lang=lang)
            written.append(path.with_suffix(".xlsx"))
    return written


def save_deterministic(book: Workbook, target: Target) -> None:
    """Save so that the same workbook gives the same bytes (no save time inside)."""
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time; a fixed stamp keeps exports reproducible.
                data = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(
                zipfile.ZipInfo(info.filename, date_time=_EPOCH),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    if isinstance(target, str | Path):
        Path(target).write_bytes(out.getvalue())
    else:
        target.write(out.getvalue())


def write_template(target: Target, *, lang: str) -> None:
    """Write the empty, documented workbook a procurement team fills in, in `lang`."""
    rows: dict[str, list[Row]] = {sheet.name: [] for sheet in ALL_SHEETS}
    rows["policy"] = [[s.name, None, None, None, s.meaning] for s in SETTINGS if not s.scope]
    rows["policy"].insert(
        2, ["split_rule", None, None, None, SETTING_BY_NAME["split_rule"].meaning]
    )
    save_deterministic(_workbook(rows, lang), target)


def write_instance_csv_dir(instance: Instance, folder: str | Path) -> None:
    """Write `instance` as a folder of UTF-8 CSV files, one per sheet (all sheets, always)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sheets = instance_rows(instance)
    for sheet in ALL_SHEETS:
        rows = sheets[sheet.name]
        with (folder / f"{sheet.name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.name for c in sheet.columns])
            writer.writerows([_csv_value(v) for v in row] for row in rows)


def _csv_value(value: Any) -> Any:
    return repr(value) if isinstance(value, float) else value


# ----------------------------------------------------------------------------------------------
# Instance -> rows per sheet (in each sheet's column order)


def instance_rows(instance: Instance) -> dict[str, list[Row]]:
    """The cell values of every sheet, from the instance's JSON form."""
    data = dump_instance(instance)
    providers = data.get("providers", [])
    rows: dict[str, list[Row]] = {
        "municipalities": _plain(data.get("municipalities", []), "municipalities"),
        "lots": _plain(data.get("lots", []), "lots"),
        "care_types": _plain(data.get("care_types", []), "care_types"),
        "demand": _plain(data.get("demand", []), "demand"),
        "providers": _plain(providers, "providers"),
        "offers": _nested(providers, "offers", "offers"),
        "access_cost": [
            [p["id"], m, cost] for p in providers for m, cost in p.get("access_cost", {}).items()
        ],
        "incumbents": _nested(providers, "incumbent", "incumbents"),
        "consortia": _plain(data.get("consortia", []), "consortia"),
        **_horizon_rows(data.get("horizon") or {}),
        "policy": list(_policy_rows(data)),
    }
    return rows


def _horizon_rows(horizon: dict[str, Any]) -> dict[str, list[Row]]:
    """Sheets periods (a per-care-type demand factor left empty there) and period_demand."""
    periods = horizon.get("periods", [])
    plain = [
        {**p, "demand_factor": None} if isinstance(p.get("demand_factor"), dict) else p
        for p in periods
    ]
    per_care = [
        [p["id"], care, factor]
        for p in periods
        if isinstance(p.get("demand_factor"), dict)
        for care, factor in p["demand_factor"].items()
    ]
    return {"periods": _plain(plain, "periods"), "period_demand": per_care}


def _columns(sheet: str) -> tuple[Column, ...]:
    return next(s for s in ALL_SHEETS if s.name == sheet).columns


def _cell(value: Any, column: Column) -> Any:
    if column.kind == "refs" and isinstance(value, list):
        return ", ".join(value) if value else NONE_MARK
    return value


def _plain(items: list[dict[str, Any]], sheet: str) -> list[Row]:
    columns = _columns(sheet)
    return [[_cell(item.get(c.name), c) for c in columns] for item in items]


def _nested(providers: list[dict[str, Any]], key: str, sheet: str) -> list[Row]:
    columns = _columns(sheet)
    return [
        [p["id"], *(_cell(item.get(c.name), c) for c in columns[1:])]
        for p in providers
        for item in p.get(key, [])
    ]


def _policy_rows(data: dict[str, Any]) -> Iterator[Row]:
    """One row per setting: [setting, lot, municipality, value, note]."""

    def row(name: str, value: Any, lot: str | None = None, m: str | None = None) -> Row:
        return [name, lot, m, value, SETTING_BY_NAME[name].meaning]

    yield row("name", data["name"])
    yield row("schema_version", data.get("schema_version", 1))
    policy = data.get("policy", {})
    for name in ("max_contracts", "transfer_cost", "quality_weight", "max_moved", "n_minus_1"):
        if name in policy:
            yield row(name, policy[name])
    split = policy.get("cost_split", {})
    for name, field in (("split_rule", "rule"), ("usage_weight", "usage_weight")):
        if field in split:
            yield row(name, split[field])
    for name, field in (("game_capacity", "capacity"), ("samples", "samples"), ("seed", "seed")):
        if field in split:
            yield row(name, split[field])
    if "discount_rate" in (data.get("horizon") or {}):
        yield row("discount_rate", data["horizon"]["discount_rate"])
    for m, weight in (split.get("weights") or {}).items():
        yield row("split_weight", weight, m=m)
    for lot, lot_split in (split.get("by_lot") or {}).items():
        if "rule" in lot_split:
            yield row("split_rule", lot_split["rule"], lot=lot)
        if "usage_weight" in lot_split:
            yield row("usage_weight", lot_split["usage_weight"], lot=lot)
        for m, weight in (lot_split.get("weights") or {}).items():
            yield row("split_weight", weight, lot=lot, m=m)


# ----------------------------------------------------------------------------------------------
# Rows -> formatted workbook


def _workbook(rows: dict[str, list[Row]], lang: str) -> Workbook:
    _ = gettext_for(lang)
    book = Workbook()
    book.remove(book.active)
    for sheet in ALL_SHEETS:
        ws = book.create_sheet(title(sheet.name, lang))
        _header(ws, sheet, lang)
        for row in rows.get(sheet.name, []):
            if sheet is POLICY and row[-1]:
                row = [*row[:-1], _(row[-1])]  # the note: what the setting means
            ws.append([_value(v) for v in row])
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":
                    cell.data_type = "s"  # a name like "=x" is text, never a formula
        _format(ws, sheet, len(rows.get(sheet.name, [])), lang)
    return book


def _value(value: Any) -> Any:
    return exact_number_cell(value) if isinstance(value, float) else value


def _header(ws: Worksheet, sheet: Sheet, lang: str) -> None:
    ws.append([title(c.name, lang) for c in sheet.columns])
    for index in range(len(sheet.columns)):
        cell = ws.cell(row=1, column=index + 1)
        text = comment(sheet, index, lang)
        note = Comment(text, "dekkend")
        note.width, note.height = 320, 40 + 16 * text.count("\n") + len(text) // 3
        cell.comment = note
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    ws.freeze_panes = "A2"


def _format(ws: Worksheet, sheet: Sheet, count: int, lang: str) -> None:
    last = max(_VALIDATED_ROWS, count + 1000)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        width = max([len(str(ws.cell(1, index).value))]
                    + [len(str(c.value or "")) for c in ws[letter][1:200]])  # fmt: skip
        ws.column_dimensions[letter].width = min(max(width + 3, 10), 60)
        fmt = _FORMATS.get(column.kind)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, max_row=count + 1, min_col=index, max_col=index):
                if fmt != "@" or isinstance(cell.value, str):
                    cell.number_format = fmt
        validation = _validation(sheet, column, lang)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(validation)


def _validation(sheet: Sheet, column: Column, lang: str) -> DataValidation | None:
    """A drop-down for an enum (inline list) or an id (a range on the id's own sheet)."""
    _ = gettext_for(lang)
    if column.choices:
        formula = '"' + ",".join(column.choices) + '"'
    elif column.kind == "ref" and column.ref:
        formula = f"'{title(column.ref, lang)}'!$A$2:$A${_VALIDATED_ROWS}"
    else:
        return None
    # The policy value column holds many kinds of values; the lot column may stay empty.
    strict = sheet is not POLICY
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle=title(column.name, lang),
        error=_("Pick a value from the list")
        + (
            _(" (ids of sheet {sheet})").format(sheet=title(column.ref, lang)) if column.ref else ""
        ),
        promptTitle=title(column.name, lang),
    )
