"""Survey forms: the builder's (settings, components, sections, questions, token batches) and
reading a respondent's answers, posted as `q-<question id>` (a matrix row as
`q-<question id>-<row number>`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from emulation.surveys.models import QuestionKind
from forms import choices, max_length, required
from forms.fields import DateField, NumberField


def optional_id(value) -> int:
    """A select's id, 0 for "none" (or anything that is not a number)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class SurveyForm(FlaskForm):
    title = StringField(_l("Tên khảo sát"), validators=[required(), max_length(255)])
    code = StringField(
        _l("Mã khảo sát"),
        validators=[required(), max_length(40)],
        description=_l("Tiêu chí “Chỉ số khảo sát” gọi khảo sát bằng mã này, ví dụ SIPAS."),
    )
    intro = TextAreaField(_l("Lời giới thiệu cho người trả lời"), render_kw={"rows": 3})
    thanks = TextAreaField(_l("Lời cảm ơn sau khi gửi phiếu"), render_kw={"rows": 2})
    allow_tokens = BooleanField(_l("Mã phiếu dùng một lần (in mã QR đặt tại quầy)"))
    allow_open = BooleanField(_l("Đường dẫn mở cho mọi người (độ tin cậy thấp hơn)"))
    allow_login = BooleanField(_l("Cán bộ, công chức đăng nhập để trả lời"))
    open_in_index = BooleanField(_l("Tính phiếu qua đường dẫn mở vào chỉ số chấm điểm"))
    min_sample = NumberField(
        _l("Cỡ mẫu tối thiểu của mỗi đơn vị"),
        validators=[required(_l("Cần nhập cỡ mẫu tối thiểu."))],
        render_kw={"inputmode": "numeric"},
    )
    opens_on = DateField(_l("Nhận phiếu từ ngày"), validators=[Optional()])
    closes_on = DateField(_l("Đến ngày"), validators=[Optional()])
    units = SelectMultipleField(
        _l("Đơn vị được đánh giá (để trống: mọi đơn vị tham gia phong trào)"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )


class ComponentForm(FlaskForm):
    code = StringField(_l("Mã nhóm"), validators=[required(), max_length(20)])
    title = StringField(_l("Tên nhóm chỉ số"), validators=[required(), max_length(255)])


class SectionForm(FlaskForm):
    title = StringField(_l("Tên phần"), validators=[required(), max_length(255)])
    intro = TextAreaField(_l("Lời dẫn"), render_kw={"rows": 2})


class QuestionForm(FlaskForm):
    text = TextAreaField(_l("Câu hỏi"), validators=[required()], render_kw={"rows": 2})
    kind = SelectField(_l("Loại câu hỏi"), choices=choices(QuestionKind.LABELS))
    code = StringField(
        _l("Mã câu"),
        validators=[max_length(20)],
        description=_l("Để trống để tự đặt (C1, C2…). Cột của câu trong tệp xuất dùng mã này."),
    )
    help = StringField(_l("Gợi ý cho người trả lời"), validators=[max_length(500)])
    required = BooleanField(_l("Bắt buộc trả lời"))
    section_id = SelectField(_l("Thuộc phần"), coerce=optional_id, validate_choice=False)
    options = TextAreaField(_l("Các phương án (mỗi dòng một phương án)"), render_kw={"rows": 4})
    rows = TextAreaField(
        _l("Các nội dung được đánh giá (mỗi dòng một nội dung)"), render_kw={"rows": 4}
    )
    min_value = StringField(_l("Số nhỏ nhất"), render_kw={"inputmode": "decimal"})
    max_value = StringField(_l("Số lớn nhất"), render_kw={"inputmode": "decimal"})
    component_id = SelectField(
        _l("Tính vào nhóm chỉ số"), coerce=optional_id, validate_choice=False, default=0
    )
    show_if_question = SelectField(_l("Chỉ hiện khi câu"), validate_choice=False, default="")
    show_if_values = SelectMultipleField(
        _l("được trả lời là"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )


class TokenBatchForm(FlaskForm):
    unit_id = SelectField(_l("Đơn vị"), coerce=optional_id, validate_choice=False)
    count = NumberField(
        _l("Số mã cho mỗi đơn vị"),
        validators=[required(_l("Cần nhập số mã."))],
        render_kw={"inputmode": "numeric"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Mã phiếu"),
        validators=[required(_l("Hãy nhập mã in trên phiếu."))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


def field_name(question, row: int | str | None = None) -> str:
    return f"q-{question.id}" if row is None else f"q-{question.id}-{row}"


def read_answers(formdata, questions) -> dict:
    """What was posted for each question, as typed (question code → raw answer)."""
    raws = {}
    for question in questions:
        if question.kind == QuestionKind.MULTIPLE:
            raws[question.code] = formdata.getlist(field_name(question))
        elif question.kind == QuestionKind.MATRIX:
            raws[question.code] = {
                str(number): formdata.get(field_name(question, number), "")
                for number in range(1, len(question.rows) + 1)
                if formdata.get(field_name(question, number), "")
            }
        else:
            raws[question.code] = formdata.get(field_name(question), "")
    return raws
