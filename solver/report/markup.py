"""Small HTML pieces the report's sections share: tables."""

from __future__ import annotations

from html import escape


def h2(text: str, *, first: bool = False) -> str:
    """A section heading (`first`: no page break before it when printed)."""
    attributes = " class='first'" if first else ""
    return f"<h2{attributes}>{escape(text)}</h2>"


def para(text: str) -> str:
    """A paragraph of plain text."""
    return f"<p>{escape(text)}</p>"


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
