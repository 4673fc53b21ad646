"""Reading a respondent's answers: each question's typed value, show-if, what is missing.

Pure functions over question objects (anything with code, kind, required, options, rows,
min_value, max_value and show_if). Raw answers are what a form sends: a string, a list of
strings (multiple choice) or {row number: string} (matrix).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from emulation.core.i18n import format_plain
from emulation.core.numbers import parse_number
from emulation.core.text import nfc
from emulation.surveys.models import QuestionKind
from emulation.surveys.stats import NO_OPINION

LIKERT_LABELS = {
    1: _l("Rất không hài lòng"),
    2: _l("Không hài lòng"),
    3: _l("Bình thường"),
    4: _l("Hài lòng"),
    5: _l("Rất hài lòng"),
    NO_OPINION: _l("Không ý kiến"),
}
SHORT_TEXT_LENGTH = 255
LONG_TEXT_LENGTH = 4000


def likert_label(value: int) -> str:
    return str(LIKERT_LABELS.get(value, value))


def empty_raw(question):
    if question.kind == QuestionKind.MULTIPLE:
        return []
    if question.kind == QuestionKind.MATRIX:
        return {}
    return ""


def raw_of(question, raws: Mapping):
    value = raws.get(question.code)
    return empty_raw(question) if value is None else value


def _is_empty(question, raw) -> bool:
    if question.kind == QuestionKind.MULTIPLE:
        return not [v for v in raw if str(v).strip()]
    if question.kind == QuestionKind.MATRIX:
        return not [v for v in raw.values() if str(v).strip()]
    return not str(raw).strip()


def _likert(text) -> int | None:
    text = str(text).strip()
    if text.isdigit() and int(text) in LIKERT_LABELS:
        return int(text)
    return None


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_answer(question, raw):
    """(value, None) for a readable answer, (None, None) for none, (None, message) if wrong."""
    if _is_empty(question, raw):
        return None, None
    kind = question.kind
    if kind == QuestionKind.LIKERT:
        value = _likert(raw)
        return (value, None) if value is not None else (None, _("Hãy chọn một mức."))
    if kind == QuestionKind.SINGLE:
        text = nfc(str(raw))
        if text in question.options:
            return text, None
        return None, _("Hãy chọn một trong các phương án.")
    if kind == QuestionKind.MULTIPLE:
        picked = {nfc(str(v)) for v in raw if str(v).strip()}
        if picked - set(question.options):
            return None, _("Hãy chọn trong các phương án đã cho.")
        return [option for option in question.options if option in picked], None
    if kind == QuestionKind.MATRIX:
        values = {}
        for number in range(1, len(question.rows) + 1):
            text = str(raw.get(str(number), "")).strip()
            if not text:
                continue
            value = _likert(text)
            if value is None:
                return None, _("Hãy chọn một mức cho mỗi dòng.")
            values[str(number)] = value
        if question.required and len(values) < len(question.rows):
            return None, _("Hãy chọn một mức cho mọi dòng.")
        return values, None
    if kind == QuestionKind.NUMBER:
        try:
            number = parse_number(str(raw))
        except ValueError:
            return None, _("“%(v)s” không phải là số; ví dụ: 12 hoặc 2,5", v=str(raw).strip())
        if question.min_value is not None and number < question.min_value:
            return None, _("Số nhỏ nhất là %(n)s.", n=format_plain(question.min_value))
        if question.max_value is not None and number > question.max_value:
            return None, _("Số lớn nhất là %(n)s.", n=format_plain(question.max_value))
        return _json_number(number), None
    text = nfc(str(raw))
    limit = SHORT_TEXT_LENGTH if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_LENGTH
    if len(text) > limit:
        return None, _("Tối đa %(max)d ký tự (đang có %(n)d).", max=limit, n=len(text))
    return text, None


def condition_met(show_if: Mapping | None, values: Mapping) -> bool:
    """Whether an earlier answer (as parsed) is one of the values a question waits for."""
    if not show_if:
        return True
    answer = values.get(show_if.get("question"))
    if answer is None:
        return False
    wanted = {str(v) for v in show_if.get("values") or []}
    if isinstance(answer, list):
        return any(str(a) in wanted for a in answer)
    return str(answer) in wanted


@dataclass
class Evaluation:
    """Every question's fate in one set of answers."""

    values: dict = field(default_factory=dict)  # code → value, visible and answered only
    errors: dict = field(default_factory=dict)  # code → message
    visible: set = field(default_factory=set)  # codes shown
    answered: int = 0
    total: int = 0  # visible questions

    @property
    def complete(self) -> bool:
        return not self.errors


def evaluate(questions: Sequence, raws: Mapping, *, require: bool = True) -> Evaluation:
    """Parse answers in order, hiding what an earlier answer hides; `require` adds a message
    for each visible required question left empty."""
    result = Evaluation()
    for question in questions:
        if question.show_if and (
            question.show_if.get("question") not in result.visible
            or not condition_met(question.show_if, result.values)
        ):
            continue
        result.visible.add(question.code)
        result.total += 1
        value, error = parse_answer(question, raw_of(question, raws))
        if error:
            result.errors[question.code] = error
        elif value is None:
            if require and question.required:
                result.errors[question.code] = _("Câu này cần được trả lời.")
        else:
            result.values[question.code] = value
            result.answered += 1
    return result


def rated_answers(question, value) -> list[int]:
    """The Likert answers (0 = no opinion) a stored value holds for the indices."""
    if value is None:
        return []
    if question.kind == QuestionKind.LIKERT:
        return [int(value)]
    if question.kind == QuestionKind.MATRIX and isinstance(value, Mapping):
        return [int(v) for v in value.values()]
    return []


def dependents(questions: Sequence, code: str) -> list:
    """Questions whose visibility hangs on `code`, directly or through another question."""
    hanging, found = {code}, []
    for question in questions:
        if question.show_if and question.show_if.get("question") in hanging:
            hanging.add(question.code)
            found.append(question)
    return found
