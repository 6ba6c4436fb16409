"""The gettext catalogues: one `.po` per language beside this module, read with Babel."""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("nl", "en")  # English is the source language: its texts are the msgids
DOMAIN = "dekkend"


def catalogue_path(lang: str) -> Path:
    """Where the catalogue of `lang` lives (English has none: the code's texts are English)."""
    return Path(__file__).with_name("locale") / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if lang == "en":
        return gettext.NullTranslations()
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # a fuzzy (unchecked) translation is not used
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str) -> Callable[[str], str]:
    """The `_` of one language: English text in, that language's text out."""
    return _translations(lang).gettext


def pgettext_for(lang: str) -> Callable[[str, str], str]:
    """`pgettext(context, text)` of one language.

    The same English word may read differently in another context: a workbook's column `lot` is
    `perceel`, whatever `lot` says elsewhere.
    """
    return _translations(lang).pgettext
