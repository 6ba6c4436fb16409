"""The workbook in Dutch or English: sheet and column titles, comments, and reading either back.

Sheet and column names are SPEC §1 field names in the code (`layout`); a person sees them in
their language (`offers` is `aanbod` in Dutch), and a workbook is read back in either language,
also mixed. Their translations live in the gettext catalogue under the context `workbook`;
`texts()` lists what the layout needs translated, for `make messages`. Values that are SPEC words
(funding models, split rules, setting names, ids) are data: they stay as they are in both
languages, so a workbook and its JSON say the same; their comments explain them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache

from solver.i18n import LANGUAGES, gettext_for, pgettext_for
from solver.io.xlsx.columns import Sheet
from solver.io.xlsx.layout import ALL_SHEETS, SETTINGS

WORKBOOK = "workbook"  # the gettext context of sheet and column names


def title(name: str, lang: str) -> str:
    """A sheet's or column's title in `lang` (`offers` -> `aanbod`)."""
    return pgettext_for(lang)(WORKBOOK, name)


def normalize_name(text: object) -> str:
    """' Youth population ' -> 'youth_population', 'Cliënten' -> 'clienten' (titles as read)."""
    plain = unicodedata.normalize("NFKD", str(text).strip().lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "_".join(plain.replace("-", " ").split())


@cache
def sheet_names() -> dict[str, str]:
    """A sheet title as read, in any language -> the sheet's SPEC name."""
    return {normalize_name(title(s.name, lang)): s.name for s in ALL_SHEETS for lang in LANGUAGES}


@cache
def column_names(sheet: str) -> dict[str, str]:
    """A column title of `sheet` as read, in any language -> the column's SPEC name."""
    layout = next(s for s in ALL_SHEETS if s.name == sheet)
    return {normalize_name(title(c.name, lang)): c.name for c in layout.columns
            for lang in LANGUAGES}  # fmt: skip


def comment(sheet: Sheet, index: int, lang: str) -> str:
    """The header comment of column `index`: meaning, unit, allowed values, required or not."""
    _ = gettext_for(lang)
    column = sheet.columns[index]
    lines = [f"{title(column.name, lang)}: {_(column.meaning)}"]
    if column.unit:
        lines.append(_("Unit: {unit}").format(unit=_(column.unit)))
    allowed = _(column.allowed) if column.allowed else ", ".join(column.choices)
    if sheet.name == "policy" and column.name == "setting":
        allowed = "; ".join(f"{s.name} = {_(s.meaning)}" for s in SETTINGS)
    if column.ref and not allowed:
        allowed = _("an id from sheet {sheet}").format(sheet=title(column.ref, lang))
    if allowed:
        lines.append(_("Allowed: {allowed}").format(allowed=allowed))
    if column.informational:
        lines.append(_("Not read on import."))
    else:
        lines.append(_("Required.") if column.required else _("Optional: leave empty for none."))
    if index == 0:
        head = _("Sheet {sheet}: {meaning}").format(sheet=title(sheet.name, lang),
                                                     meaning=_(sheet.meaning))  # fmt: skip
        lines = [head, "", *lines]
    return "\n".join(lines)


def texts() -> Iterator[tuple[str, str | None]]:
    """(text, context) of everything the layout shows a person, for the catalogue."""
    for sheet in ALL_SHEETS:
        yield sheet.name, WORKBOOK
        yield sheet.meaning, None
        for column in sheet.columns:
            yield column.name, WORKBOOK
            said: tuple[str, ...] = (column.meaning, column.unit)
            if not (sheet.name == "policy" and column.name == "setting"):  # built by `comment`
                said += (column.allowed,)
            yield from ((text, None) for text in said if text)
    for setting in SETTINGS:
        yield setting.meaning, None
        yield setting.allowed, None
