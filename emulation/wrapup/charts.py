"""Charts of the wrap-up page, in the style of emulation.core.charts (Figure objects, never pyplot;
DejaVu Sans; SVG text drawn as outlines; decimal commas). Every chart has a text
alternative built from the same figures, for the page's alt attribute.

- grades: how many units earned each grade on the official leaderboard (bars);
- targets: targets reached against targets registered, per criteria group;
- clusters: the mean official total of each cluster.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from emulation.core.charts import BAR, FONT, INK, MUTED, _figure, _style, _title
from emulation.core.i18n import format_number
from emulation.wrapup.service import Scoring, Targets

GRADES = "xep-loai"
TARGETS = "chi-tieu"
CLUSTERS = "diem-cum"


def _wrapped(label: str, width: int = 34) -> str:
    return textwrap.fill(textwrap.shorten(label, 90, placeholder="…"), width)


def _cluster_name(name: str) -> str:
    return name or _("Đơn vị tham gia trực tiếp")


# --- grades -----------------------------------------------------------------------------------


def _grade_items(scoring: Scoring) -> list[tuple[str, int]]:
    items = [(g.name, g.count) for g in scoring.grades]
    if scoring.ungraded:
        items.append((_("Chưa xếp loại"), scoring.ungraded))
    return items


def grade_title() -> str:
    return _("Số đơn vị theo xếp loại")


def grade_chart(scoring: Scoring) -> Figure:
    """Vertical bars: units per grade, best grade first."""
    items = _grade_items(scoring)
    figure = _figure(7, 3.4)
    axes = figure.add_subplot()
    labels = [name for name, _count in items]
    counts = [count for _name, count in items]
    bars = axes.bar(labels, counts, color=BAR, width=0.6)
    axes.bar_label(
        bars, labels=[str(c) for c in counts], padding=3, fontsize=9, color=INK, fontfamily=FONT
    )
    axes.set_ylim(0, max([*counts, 1]) * 1.2)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(_("Số đơn vị"), fontfamily=FONT, color=INK)
    _title(axes, grade_title())
    _style(axes, "y")
    return figure


def grade_alt(scoring: Scoring) -> str:
    parts = "; ".join(f"{name}: {count}" for name, count in _grade_items(scoring))
    return _("Biểu đồ cột số đơn vị theo xếp loại, %(parts)s.", parts=parts)


# --- targets ----------------------------------------------------------------------------------


def targets_title() -> str:
    return _("Chỉ tiêu đạt so với chỉ tiêu đăng ký, theo nhóm tiêu chí")


def targets_chart(targets: Targets) -> Figure:
    """Per criteria group: registered targets (grey) and those reached (red) over them."""
    areas = list(targets.areas)
    figure = _figure(8, max(2.2, 0.5 * len(areas) + 1.3))
    axes = figure.add_subplot()
    labels = [_wrapped(f"{a.code}. {a.title}") for a in areas][::-1]
    registered = [a.registered for a in areas][::-1]
    reached = [a.reached for a in areas][::-1]
    axes.barh(labels, registered, color=MUTED)
    bars = axes.barh(labels, reached, color=BAR, height=0.5)
    axes.bar_label(
        bars,
        labels=[f"{r}/{n}" for r, n in zip(reached, registered, strict=True)],
        padding=3,
        fontsize=8,
        color=INK,
        fontfamily=FONT,
    )
    axes.set_xlim(0, max([*registered, 1]) * 1.15)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(_("Số chỉ tiêu"), fontfamily=FONT, color=INK)
    _title(axes, targets_title())
    _style(axes)
    return figure


def targets_alt(targets: Targets) -> str:
    parts = "; ".join(f"{a.code}. {a.title}: {a.reached}/{a.registered}" for a in targets.areas)
    return _(
        "Biểu đồ số chỉ tiêu đạt trên số chỉ tiêu đăng ký theo nhóm tiêu chí, %(parts)s.",
        parts=parts,
    )


# --- clusters ---------------------------------------------------------------------------------


def cluster_title() -> str:
    return _("Điểm trung bình chính thức của từng cụm, khối")


def cluster_chart(scoring: Scoring) -> Figure:
    """Horizontal bars: each cluster's mean official total, on the scale of the table."""
    clusters = list(scoring.clusters)
    figure = _figure(8, max(2.2, 0.5 * len(clusters) + 1.3))
    axes = figure.add_subplot()
    labels = [_wrapped(_cluster_name(c.name)) for c in clusters][::-1]
    means = [float(c.mean) for c in clusters][::-1]
    bars = axes.barh(labels, means, color=BAR, height=0.6)
    axes.bar_label(
        bars,
        labels=[format_number(m, 2, minimum=0) for m in means],
        padding=3,
        fontsize=8,
        color=INK,
        fontfamily=FONT,
    )
    axes.set_xlim(0, float(scoring.max_total) or max(means, default=1) * 1.15)
    axes.set_xlabel(_("Điểm trung bình"), fontfamily=FONT, color=INK)
    _title(axes, cluster_title())
    _style(axes)
    return figure


def cluster_alt(scoring: Scoring) -> str:
    parts = "; ".join(
        f"{_cluster_name(c.name)}: {format_number(c.mean, 2, minimum=0)}" for c in scoring.clusters
    )
    return _("Biểu đồ điểm trung bình chính thức theo cụm, khối, %(parts)s.", parts=parts)


# --- what the page shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """One chart of the page: its name in the URL, what it is drawn from, and how."""

    name: str
    source: str  # "scoring" or "targets": the part of the summary it reads
    title: Callable[[], str]
    draw: Callable
    alt: Callable
    shown: Callable  # whether there is anything to draw


CHARTS = {
    GRADES: Chart(GRADES, "scoring", grade_title, grade_chart, grade_alt, lambda s: s.has_data),
    TARGETS: Chart(
        TARGETS,
        "targets",
        targets_title,
        targets_chart,
        targets_alt,
        lambda t: t.registered > 0 and t.reports > 0,
    ),
    CLUSTERS: Chart(
        CLUSTERS, "scoring", cluster_title, cluster_chart, cluster_alt, lambda s: s.has_data
    ),
}
