"""The anonymous responses of a survey as CSV or XLSX: one row per response, one column per
question (per row of a matrix). No token, account or time finer than the day is exported,
and rows are ordered by unit, day and the random response id — not by arrival."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from emulation.core.clock import format_date
from emulation.surveys.answers import likert_label
from emulation.surveys.models import QuestionKind, Survey, SurveyResponse

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _likert_cell(value):
    """1–5 stay numbers for analysis; "không ý kiến" is written out."""
    if value is None:
        return ""
    return likert_label(0) if int(value) == 0 else int(value)


def columns(survey: Survey) -> list[tuple[str, object, str | None]]:
    """(header, question, matrix row number) for every answer column."""
    cols = []
    for question in survey.ordered_questions:
        if question.kind == QuestionKind.MATRIX:
            for number, row in enumerate(question.rows, start=1):
                cols.append((f"{question.code}.{number} {row}", question, str(number)))
        else:
            cols.append((f"{question.code} {question.text}", question, None))
    return cols


def _cell(question, row: str | None, answers: dict):
    value = answers.get(question.code)
    if value is None:
        return ""
    if question.kind == QuestionKind.MATRIX:
        return _likert_cell(value.get(row)) if isinstance(value, dict) else ""
    if question.kind == QuestionKind.LIKERT:
        return _likert_cell(value)
    if question.kind == QuestionKind.MULTIPLE:
        return "; ".join(value)
    return value


def rows(survey: Survey, responses: list[SurveyResponse]) -> list[list]:
    """A header row, then one row per response."""
    cols = columns(survey)
    header = [_("STT"), _("Mã đơn vị"), _("Đơn vị"), _("Kênh trả lời"), _("Ngày")]
    table = [header + [name for name, _q, _r in cols]]
    ordered = sorted(responses, key=lambda r: (r.unit.name, r.submitted_on, r.id))
    for number, response in enumerate(ordered, start=1):
        table.append(
            [
                number,
                response.unit.code,
                response.unit.name,
                response.channel_label,
                format_date(response.submitted_on),
                *(_cell(q, row, response.answers) for _name, q, row in cols),
            ]
        )
    return table


def export_csv(survey: Survey, responses: list[SurveyResponse]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows(survey, responses))
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(survey: Survey, responses: list[SurveyResponse]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Phiếu trả lời")
    for row in rows(survey, responses):
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    sheet.freeze_panes = "B2"
    for letter, width in zip("ABCDE", (6, 12, 30, 22, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_responses(survey: Survey, responses: list[SurveyResponse], fmt: str) -> bytes:
    return export_xlsx(survey, responses) if fmt == "xlsx" else export_csv(survey, responses)
