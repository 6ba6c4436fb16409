"""Input errors in the reader's language: `say(message, lang)`.

An error's message is English where it is made (it is SPEC's JSON, `errors[].message`, and may
be made in another process, e.g. a workbook read in isolation). Its form is marked `E_("…")`
where it is made, and sits in the catalogue under the context `error`; where a person reads it,
`say` finds the form the English text was made from and says it in Dutch with the same values.
A message of no catalogued form is shown as it is. Workbook errors prefix a column title
("price must be ≥ 0", "price: unknown …", "(at providers[0].offers[1].price)"): `say` reads the
prefix and the suffix too.
"""

from __future__ import annotations

import re
from functools import cache

from babel.messages.pofile import read_po

from solver.i18n.catalogue import DOMAIN, catalogue_path, pgettext_for

ERROR = "error"  # the gettext context of error forms
_FIELD = re.compile(r"\{(\w+)\}")
_COMPOSED = re.compile(
    r"^(?P<label>[\w.\[\]]+)(?P<glue> is required|: | )(?P<rest>.*?)(?P<at> \(at [^()]+\))?$"
)


def E_(text: str) -> str:  # noqa: N802 - a gettext-style marker the extractor looks for
    """Mark an error form for the catalogue (context `error`); returns it unchanged."""
    return text


@cache
def _forms(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(regex of the English form, the form in `lang`) for every catalogued error form."""
    with catalogue_path("nl").open("rb") as po:
        catalog = read_po(po, domain=DOMAIN)
    forms = []
    for message in catalog:
        if message.context != ERROR or not message.id or not message.string:
            continue
        english = str(message.id)
        target = english if lang == "en" else str(message.string)
        forms.append((_pattern(english), target))
    # the longest forms first: "must be a whole number, not {value}" before "must be {what}"
    forms.sort(key=lambda pair: -len(pair[0].pattern))
    return tuple(forms)


def _pattern(form: str) -> re.Pattern[str]:
    parts, seen, at = [], set(), 0
    for match in _FIELD.finditer(form):
        parts.append(re.escape(form[at : match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        at = match.end()
    parts.append(re.escape(form[at:]))
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


def _whole(message: str, lang: str, depth: int = 0) -> str | None:
    """`message` in `lang` if it is a catalogued form; its values too, one level deep."""
    for pattern, target in _forms(lang):
        found = pattern.match(message)
        if found:
            values = found.groupdict()
            if depth == 0:  # a value may be a form itself ("not {value}" <- "the string 'x'"),
                # or a list of forms ("{rules}" <- "max_moved 5 (...); the demand of ...")
                values = {k: _value(v, lang) for k, v in values.items()}
            return target.format(**values)
    return None


def _value(text: str, lang: str) -> str:
    """A form's value: a form itself, else a "; " list of forms, else as it is."""
    whole = _whole(text, lang, 1)
    if whole is not None:
        return whole
    return "; ".join(_whole(part, lang, 1) or part for part in text.split("; "))


def say(message: str, lang: str) -> str:
    """`message` in `lang` when it has a catalogued form; else as it is."""
    if lang == "en" or not message:
        return message
    said = _whole(message, lang)
    if said is not None:
        return said
    if "; " in message:  # sentences joined: each on its own
        return "; ".join(say(part, lang) for part in message.split("; "))
    composed = _COMPOSED.match(message)
    if composed is None:
        return message
    label, glue, rest, at = composed.group("label", "glue", "rest", "at")
    label = pgettext_for(lang)("workbook", label)
    at = (" " + _whole_or_same("(at {path})", at.strip(), lang)) if at else ""
    if glue == " is required" and not rest:
        return f"{label} " + (_whole("is required", lang) or "is required") + at
    inner = _whole(rest, lang)
    if inner is None:
        return message
    return f"{label}{': ' if glue == ': ' else ' '}{inner}{at}"


def _whole_or_same(form: str, text: str, lang: str) -> str:
    found = _pattern(form).match(text)
    if found is None:
        return text
    return pgettext_for(lang)(ERROR, form).format(**found.groupdict())
