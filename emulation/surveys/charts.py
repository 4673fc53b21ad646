"""Charts of a question's answers: matplotlib Figure objects (never pyplot), SVG for the page
and PNG to download. Labels are Vietnamese; DejaVu Sans, shipped with matplotlib, has the
diacritics. Every chart has a text alternative built from the same counts."""

from __future__ import annotations

import io
from decimal import Decimal

from flask_babel import gettext as _
from matplotlib.figure import Figure

from emulation.surveys.answers import likert_label
from emulation.surveys.models import QuestionKind
from emulation.surveys.stats import LIKERT_VALUES, NO_OPINION, choice_counts, distribution

# Red (dissatisfied) to green (satisfied), grey for no opinion.
LIKERT_COLOURS = {
    1: "#b71c1c",
    2: "#ef6c00",
    3: "#9e9e9e",
    4: "#7cb342",
    5: "#1b5e20",
    NO_OPINION: "#cfd8dc",
}
BAR_COLOUR = "#b3261e"
WIDTH = 7.0


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def _bars(labels: list[str], counts: list[int], colours: list[str] | str) -> Figure:
    figure = Figure(figsize=(WIDTH, 0.45 * len(labels) + 0.9), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    bars = axes.barh(positions, counts, color=colours)
    axes.set_yticks(positions, [_wrap(label) for label in labels])
    axes.invert_yaxis()
    axes.set_xlabel(_("Số phiếu"))
    axes.bar_label(bars, padding=3)
    axes.set_xlim(0, max([*counts, 1]) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.get_major_locator().set_params(integer=True)
    return figure


def _matrix(question, values: list[dict]) -> Figure:
    rows = list(question.rows)
    order = (*LIKERT_VALUES, NO_OPINION)
    shares = []
    for number in range(1, len(rows) + 1):
        counts = distribution(int(v[str(number)]) for v in values if str(number) in v)
        total = sum(counts.values()) or 1
        shares.append([counts[level] * 100 / total for level in order])
    figure = Figure(figsize=(WIDTH, 0.55 * len(rows) + 1.4), layout="constrained")
    axes = figure.add_subplot()
    left = [0.0] * len(rows)
    for i, level in enumerate(order):
        widths = [share[i] for share in shares]
        axes.barh(
            range(len(rows)),
            widths,
            left=left,
            color=LIKERT_COLOURS[level],
            label=likert_label(level),
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_yticks(range(len(rows)), [_wrap(row, 34) for row in rows])
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(_("Tỷ lệ phiếu (%)"))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3, fontsize="small")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def _numbers(values: list) -> Figure:
    """Whole numbers with few distinct values as bars per value, anything else a histogram."""
    numbers = [Decimal(str(v)) for v in values]
    distinct = sorted(set(numbers))
    if all(n == n.to_integral_value() for n in numbers) and len(distinct) <= 20:
        counts = [numbers.count(n) for n in distinct]
        figure = Figure(figsize=(WIDTH, 2.8), layout="constrained")
        axes = figure.add_subplot()
        bars = axes.bar([str(int(n)) for n in distinct], counts, color=BAR_COLOUR)
        axes.bar_label(bars, padding=2)
    else:
        figure = Figure(figsize=(WIDTH, 2.8), layout="constrained")
        axes = figure.add_subplot()
        axes.hist([float(n) for n in numbers], bins=10, color=BAR_COLOUR)
    axes.set_ylabel(_("Số phiếu"))
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def has_chart(question) -> bool:
    return question.kind not in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


def question_figure(question, values: list) -> Figure | None:
    """The chart of one question's answers (`values`: the stored answers, None left out)."""
    values = [v for v in values if v is not None]
    if question.kind == QuestionKind.LIKERT:
        counts = distribution(int(v) for v in values)
        order = list(counts)
        return _bars(
            [likert_label(level) for level in order],
            [counts[level] for level in order],
            [LIKERT_COLOURS[level] for level in order],
        )
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        counts = choice_counts(question.options, values)
        return _bars(list(counts), list(counts.values()), BAR_COLOUR)
    if question.kind == QuestionKind.MATRIX:
        return _matrix(question, [v for v in values if isinstance(v, dict)])
    if question.kind == QuestionKind.NUMBER and values:
        return _numbers(values)
    return None


def alt_text(question, values: list) -> str:
    """The chart in words, for screen readers and as the image's alt text."""
    values = [v for v in values if v is not None]
    if question.kind == QuestionKind.LIKERT:
        counts = distribution(int(v) for v in values)
        parts = [f"{likert_label(level)}: {n}" for level, n in counts.items()]
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        parts = [f"{option}: {n}" for option, n in choice_counts(question.options, values).items()]
    elif question.kind == QuestionKind.MATRIX:
        parts = []
        for number, row in enumerate(question.rows, start=1):
            answered = [
                int(v[str(number)]) for v in values if isinstance(v, dict) and str(number) in v
            ]
            satisfied = sum(1 for a in answered if a in (4, 5))
            rated = sum(1 for a in answered if a in LIKERT_VALUES)
            parts.append(_("%(row)s: %(s)s/%(n)s hài lòng", row=row, s=satisfied, n=rated))
    elif question.kind == QuestionKind.NUMBER and values:
        numbers = [Decimal(str(v)) for v in values]
        parts = [
            _("nhỏ nhất %(a)s", a=min(numbers)),
            _("lớn nhất %(b)s", b=max(numbers)),
        ]
    else:
        parts = []
    head = _("Biểu đồ câu %(code)s, %(n)s phiếu", code=question.code, n=len(values))
    return head + (": " + "; ".join(parts) if parts else "")


def render(figure: Figure, fmt: str) -> bytes:
    """SVG (text as paths, so it looks the same everywhere) or PNG at 150 dpi."""
    buffer = io.BytesIO()
    if fmt == "png":
        figure.savefig(buffer, format="png", dpi=150)
    else:
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
