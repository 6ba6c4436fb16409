"""Small HTML pieces the report's sections share: money, tables."""

from __future__ import annotations


def money(value: float | None) -> str:
    """€1,234.56 (−€… when negative; — when unknown)."""
    if value is None:
        return "—"
    return f"−€{-value:,.2f}" if value < 0 else f"€{value:,.2f}"


def table(head: list[str], rows: list[list[str]], left: int = 1) -> str:
    """An HTML table; cells are already escaped HTML (`<td ...>` added here)."""
    th = "".join(
        f'<th class="l">{h}</th>' if i < left else f"<th>{h}</th>" for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(
            c
            if c.startswith("<td")
            else (f'<td class="l">{c}</td>' if i < left else f"<td>{c}</td>")
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"
