"""What a person reads, in Dutch or English.

Texts are English in the code, marked `_("…")`, and Dutch in the gettext catalogue
`locale/nl/LC_MESSAGES/dekkend.po` (read with Babel: no compile step). The language is an
argument of whatever renders text (`lang`), chosen once at the edge: `--lang`, `DEKKEND_LANG`,
or the API's `Accept-Language`. Dutch is the default. JSON never changes with the language.
"""

from __future__ import annotations

from solver.i18n.catalogue import LANGUAGES, catalogue_path, gettext_for, pgettext_for
from solver.i18n.choose import DEFAULT, choose_language, from_accept_language
from solver.i18n.formats import cents, count, money, percent

__all__ = [
    "cents",
    "DEFAULT",
    "LANGUAGES",
    "catalogue_path",
    "choose_language",
    "count",
    "from_accept_language",
    "gettext_for",
    "money",
    "percent",
    "pgettext_for",
]
