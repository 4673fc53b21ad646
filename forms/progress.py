from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, Form, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import ValidationError

from emulation.core.clock import parse_date
from emulation.core.numbers import parse_number
from forms import max_length, required


def vietnamese_number(form, field) -> None:
    """A number as typed here ("1.234,5"); the raw text stays in the field either way."""
    try:
        parse_number(field.data)
    except ValueError as exc:
        raise ValidationError(_l("Hãy nhập một số, ví dụ 1.234,5.")) from exc


def vietnamese_date(form, field) -> None:
    if not field.data:
        return
    try:
        parse_date(field.data)
    except ValueError as exc:
        raise ValidationError(_l("Hãy nhập ngày dạng dd/mm/yyyy, ví dụ 31/03/2025.")) from exc


class TargetValueForm(Form):
    """One row of the report: the actual value reached for one registered target."""

    target_id = HiddenField()
    actual = StringField(_l("Số thực hiện"), validators=[vietnamese_number])
    note = StringField(_l("Ghi chú"), validators=[max_length(500)])


class ReportForm(FlaskForm):
    version = HiddenField()
    period_label = StringField(
        _l("Kỳ báo cáo"),
        validators=[required(), max_length(80)],
        description=_l("Ví dụ: Quý I/2025, 6 tháng đầu năm 2025."),
    )
    period_end = StringField(
        _l("Ngày cuối kỳ"),
        validators=[required(), vietnamese_date],
        description=_l("Dạng dd/mm/yyyy, ví dụ 30/06/2025."),
    )
    note = TextAreaField(_l("Nhận xét chung"), validators=[max_length(5000)])
    rows = FieldList(FormField(TargetValueForm))


class EvidenceForm(FlaskForm):
    target_id = HiddenField()
    file = FileField(_l("Tệp minh chứng"), validators=[FileRequired(_l("Hãy chọn một tệp."))])
