"""Numbers as a person of that language writes them (Babel, CLDR): `€ 5.527.994` in Dutch.

The space after € and before % is a no-break space: a line never ends between them.
"""

from __future__ import annotations

from babel.numbers import format_currency, format_decimal, format_percent

_LOCALE = {"nl": "nl_NL", "en": "en_GB"}


def money(amount: float | None, lang: str) -> str:
    """Whole euros for reading (the JSON keeps the cents); — when unknown."""
    if amount is None:
        return "—"
    return format_currency(
        round(amount),
        "EUR",
        format="¤\u00a0#,##0" if lang == "nl" else "¤#,##0",
        locale=_LOCALE[lang],
        currency_digits=False,
    )


def cents(amount: float, lang: str) -> str:
    """An amount to the cent without the currency sign (8,223.00 / 8.223,00): for checks."""
    return format_decimal(amount, format="#,##0.00", locale=_LOCALE[lang])


def count(value: int | float, lang: str) -> str:
    """A whole number with the language's thousands separator (5.998 / 5,998)."""
    return format_decimal(value, format="#,##0", locale=_LOCALE[lang])


def percent(share: float, lang: str, digits: int = 0) -> str:
    """A share as a percentage (12 % / 12%)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    text = format_percent(share, format=pattern, locale=_LOCALE[lang])
    return text.replace("%", "\u00a0%") if lang == "nl" else text
