"""Keep the Dutch catalogue in step with the code: `make messages` (`python -m solver.i18n.update`).

Extracts every `_("…")` and `N_("…")` from solver/ and api/ with Babel, adds the new texts to
`locale/nl/LC_MESSAGES/dekkend.po` with an empty translation, and drops texts the code no longer
has. `tests/i18n` fails while any text lacks its translation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from solver.i18n.catalogue import DOMAIN, catalogue_path
from solver.i18n.messages import ERROR

KEYWORDS = {"_": None, "N_": None}
_FIXED = datetime(2026, 12, 4, tzinfo=UTC)
SOURCES = ("solver", "api")


Entry = tuple[str, str | None, str, int]  # text, context, file, line


def extracted(root: Path) -> Iterator[Entry]:
    """(text, context, file, line) of every marked text under the source folders of `root`.

    `_` and `N_` texts have no context; `E_` marks the form of an input error (context `error`,
    `solver.i18n.messages`).
    """
    for keywords, context in ((KEYWORDS, None), ({"E_": None}, ERROR)):
        for folder in SOURCES:
            for name, line, text, _comments, _context in extract_from_dir(
                root / folder, method_map=[("**.py", "python")], keywords=keywords,
                comment_tags=(), strip_comment_tags=True,
            ):  # fmt: skip
                if isinstance(text, str) and text:
                    yield text, context, f"{folder}/{name}", line


def everything(root: Path) -> list[Entry]:
    """The marked texts and the workbook layout's texts (declared data, not marked calls)."""
    from solver.io.xlsx.labels import texts  # the one place the layout's words are listed

    layout = [(text, context, "solver/io/xlsx/layout.py", 0) for text, context in texts()]
    return [*extracted(root), *layout]


def update(root: Path, lang: str = "nl") -> tuple[int, int]:
    """Merge the code's texts into the catalogue of `lang`; (added, dropped)."""
    path = catalogue_path(lang)
    old = Catalog(locale=lang, domain=DOMAIN)
    if path.exists() and path.stat().st_size:
        with path.open("rb") as po:
            old = read_po(po, locale=lang, domain=DOMAIN)
    # fixed header fields: the file changes only when a text does
    new = Catalog(locale=lang, domain=DOMAIN, project="dekkend", version="1", fuzzy=False,
                  copyright_holder="the dekkend developers", msgid_bugs_address="",
                  creation_date=_FIXED, revision_date=_FIXED,
                  last_translator="the dekkend developers", language_team="Dutch")  # fmt: skip
    for text, context, where, line in everything(root):
        known = old.get(text, context=context)
        present = new.get(text, context=context)
        if present is not None:
            if (where, line) not in present.locations:
                present.locations.append((where, line))
            continue
        new.add(text, known.string if known else "", locations=[(where, line)],
                flags=("python-brace-format",) if "{" in text else (), context=context)  # fmt: skip
    added = sum(1 for m in new if m.id and old.get(m.id, context=m.context) is None)
    dropped = sum(1 for m in old if m.id and new.get(m.id, context=m.context) is None)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, new, width=100, sort_output=False, include_previous=False)
    return added, dropped


def main() -> int:
    """Update the Dutch catalogue from the repository this module lives in."""
    root = Path(__file__).resolve().parents[2]
    added, dropped = update(root)
    untranslated = [m.id for m in read_po(catalogue_path("nl").open("rb")) if m.id and not m.string]
    print(f"{catalogue_path('nl')}: {added} new, {dropped} dropped, "
          f"{len(untranslated)} without a Dutch text")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
