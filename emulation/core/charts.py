"""Charts for pages (SVG) and downloads (PNG), drawn on matplotlib Figure objects directly —
never pyplot, whose global state is not safe in a web server.

Text is drawn in DejaVu Sans, which ships with matplotlib and has every Vietnamese letter;
SVG keeps text as outlines, so a page shows the diacritics whatever fonts the viewer has.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from decimal import Decimal

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from emulation.core.i18n import format_number

FONT = "DejaVu Sans"
BAR = "#b71c1c"
MUTED = "#e5e7eb"
DEDUCTED = "#d97706"
INK = "#1f2937"
MOST_BARS = 40


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return figure


def _style(axes, value_axis: str = "x") -> None:
    ticks = FuncFormatter(lambda value, _position: format_number(value, 2, minimum=0))
    (axes.xaxis if value_axis == "x" else axes.yaxis).set_major_formatter(ticks)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=INK, labelsize=9)
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        label.set_fontfamily(FONT)


def _title(axes, title: str) -> None:
    """Long titles (campaign names run long) wrap instead of squeezing the plot."""
    axes.set_title(
        textwrap.shorten(title, 160, placeholder="…") if len(title) > 160 else title,
        fontfamily=FONT,
        color=INK,
        fontsize=11,
        loc="left",
        wrap=True,
    )
    axes.title.set_text(textwrap.fill(axes.title.get_text(), 80))


def standings_chart(
    rows: Sequence[tuple[str, Decimal]], max_total: Decimal, title: str, axis_label: str
) -> Figure:
    """Horizontal bars of totals, best at the top (at most MOST_BARS units)."""
    rows = list(rows)[:MOST_BARS]
    figure = _figure(8, max(2.2, 0.32 * len(rows) + 1.2))
    axes = figure.add_subplot()
    names = [name for name, _total in rows][::-1]
    totals = [float(total) for _name, total in rows][::-1]
    bars = axes.barh(names, totals, color=BAR)
    axes.set_xlim(0, float(max_total) or max(totals, default=1))
    axes.bar_label(
        bars,
        labels=[format_number(t, 2, minimum=0) for t in totals],
        padding=3,
        fontsize=8,
        color=INK,
    )
    axes.set_xlabel(axis_label, fontfamily=FONT, color=INK)
    _title(axes, title)
    _style(axes)
    return figure


def profile_chart(
    items: Sequence[tuple[str, Decimal, Decimal]],
    title: str,
    axis_label: str,
    deductions: Sequence[bool] = (),
) -> Figure:
    """A unit's points per criteria group (bars) against each group's maximum (grey);
    deduction groups (points taken off) in amber."""
    items = list(items)
    figure = _figure(8, max(2.2, 0.45 * len(items) + 1.2))
    axes = figure.add_subplot()
    labels = [label for label, _p, _m in items][::-1]
    points = [float(p) for _l, p, _m in items][::-1]
    maxima = [float(m) for _l, _p, m in items][::-1]
    axes.barh(labels, maxima, color=MUTED, label="max")
    flags = list(deductions or [False] * len(items))[::-1]
    bars = axes.barh(labels, points, color=[DEDUCTED if f else BAR for f in flags], height=0.5)
    axes.bar_label(
        bars,
        labels=[
            f"{format_number(p, 2, minimum=0)}/{format_number(m, 2, minimum=0)}"
            for p, m in zip(points, maxima, strict=True)
        ],
        padding=3,
        fontsize=8,
        color=INK,
    )
    axes.set_xlabel(axis_label, fontfamily=FONT, color=INK)
    _title(axes, title)
    _style(axes)
    return figure


def history_chart(points: Sequence[tuple[str, Decimal]], title: str, axis_label: str) -> Figure:
    """A unit's official total campaign after campaign."""
    points = list(points)
    figure = _figure(8, 3)
    axes = figure.add_subplot()
    labels = [label for label, _total in points]
    totals = [float(total) for _label, total in points]
    axes.plot(labels, totals, marker="o", color=BAR)
    for x, y in enumerate(totals):
        axes.annotate(
            format_number(y, 2, minimum=0),
            (x, y),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=8,
            color=INK,
        )
    axes.set_ylabel(axis_label, fontfamily=FONT, color=INK)
    _title(axes, title)
    axes.margins(y=0.2)
    _style(axes, "y")
    return figure


def svg(figure: Figure, title: str = "") -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Title": title or None, "Date": None})
    return buffer.getvalue()


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()
