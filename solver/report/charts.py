"""Charts of the HTML report: matplotlib (Agg, no display), returned as base64 PNG data URIs."""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: the report is written by servers and CI too

import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from solver.i18n import count, gettext_for  # noqa: E402


def _euro_axis(lang: str) -> Any:
    """Tick labels in whole euros as the language writes them (5.000.000 / 5,000,000)."""
    return matplotlib.ticker.FuncFormatter(lambda v, _pos: count(round(v), lang))


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def bar_chart(labels: list[str], values: list[float], title: str, lang: str) -> str:
    """A horizontal bar chart of euro amounts; bars start at zero."""
    _ = gettext_for(lang)
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(labels), 3) + 1))
    ax.barh(labels[::-1], values[::-1], color="#2f6f9f")
    ax.set_title(title)
    ax.set_xlabel(_("€ (bars start at 0)"))
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(_euro_axis(lang))
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def years_chart(
    periods: list[str], costs: list[float], terms: list[str], title: str, lang: str
) -> str:
    """Regional cost per period, one colour per term (a tender over several years); from zero."""
    _ = gettext_for(lang)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    palette = ["#2f6f9f", "#c0392b", "#27ae60", "#8e44ad", "#d35400"]
    colours = {t: palette[i % len(palette)] for i, t in enumerate(dict.fromkeys(terms))}
    ax.bar(periods, costs, color=[colours[t] for t in terms])
    handles = [
        matplotlib.patches.Patch(color=c, label=_("term {term}").format(term=t))
        for t, c in colours.items()
    ]
    ax.legend(handles=handles, loc="lower right", fontsize="small")
    ax.set_title(title)
    ax.set_ylabel("€")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_euro_axis(lang))
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def grouped_bars(
    categories: list[str], series: dict[str, list[float]], title: str, lang: str
) -> str:
    """Horizontal bars from zero: one group per category, one bar per series (legend)."""
    _ = gettext_for(lang)
    height = 0.8 / max(len(series), 1)
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(categories) * max(len(series), 2) + 1.5))
    positions = list(range(len(categories)))[::-1]
    for k, (label, values) in enumerate(series.items()):
        ax.barh(
            [p + (len(series) / 2 - k - 0.5) * height for p in positions],
            values,
            height=height,
            label=label,
        )
    ax.set_yticks(positions, categories)
    ax.set_title(title)
    ax.set_xlabel(_("€ (bars start at 0)"))
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(_euro_axis(lang))
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside, never over bars
    return _png(fig)


def consolidation_curve(
    rows: list[dict[str, Any]], lang: str, key: str = "policy.max_contracts"
) -> str | None:
    """Objective against max_contracts, one line per combination of the other settings.

    Two panels: the left from zero (the honest size of the differences), the right zoomed to
    the data and labelled as such. Each line has its own marker and dash, so lines that lie on
    top of each other stay distinguishable.
    """
    _ = gettext_for(lang)
    lines: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        settings = row.get("settings") or {}
        limit, objective = settings.get(key), row.get("objective")
        if not isinstance(limit, int | float) or objective is None:
            continue
        other = ", ".join(f"{k}={v}" for k, v in settings.items() if k != key)
        lines[other].append((float(limit), float(objective)))
    if not lines:
        return None
    fig, (full, zoom) = plt.subplots(1, 2, figsize=(10, 4))
    styles = [("o", "-"), ("s", "--"), ("^", ":"), ("D", "-."), ("v", (0, (5, 1)))]
    for k, (label, points) in enumerate(sorted(lines.items())):
        points.sort()
        marker, dash = styles[k % len(styles)]
        for ax in (full, zoom):
            ax.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                marker=marker,
                linestyle=dash,
                markersize=7 - k % 3,
                label=label or None,
            )
    full.set_ylim(bottom=0)
    full.set_title(_("optimum against the largest number of contracts"))
    zoom.set_title(_("the same, zoomed: the axis does not start at 0"))
    for ax in (full, zoom):
        ax.set_xlabel(_("max_contracts (largest number of contracts)"))
        ax.set_ylabel(_("objective (€)"))
        ax.yaxis.set_major_formatter(_euro_axis(lang))
        ax.grid(alpha=0.3)
    if any(lines):
        zoom.legend(fontsize=8)
    fig.tight_layout()
    return _png(fig)
