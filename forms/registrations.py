"""Registration forms. Target rows are one per quantitative criterion, so they are read here
from the posted fields `baseline-<id>`, `target-<id>`, `uom-<id>`, `deadline-<id>`, `note-<id>`."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from emulation.core.clock import parse_date
from emulation.core.numbers import parse_number
from emulation.criteria.models import Criterion
from emulation.registrations.models import ExemplaryTaskGroup
from emulation.registrations.service import TargetInput
from forms import choices, max_length, required
from forms.fields import DateField

TARGET_FIELDS = ("baseline", "target", "uom", "deadline", "note")


class RegistrationForm(FlaskForm):
    version = HiddenField()
    commitment = TextAreaField(_l("Nội dung cam kết, giao ước"), render_kw={"rows": 4})
    titles = SelectMultipleField(
        _l("Danh hiệu, hình thức khen thưởng đăng ký"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Lý do"), validators=[required(_l("Hãy ghi lý do."))], render_kw={"rows": 3}
    )


def raw_target(formdata, criterion_id: int) -> dict[str, str]:
    return {name: formdata.get(f"{name}-{criterion_id}", "") for name in TARGET_FIELDS}


def read_target(
    raw: dict[str, str], *, required_target: bool = False
) -> tuple[TargetInput, dict[str, str]]:
    """One row's typed text → values, and messages per field for what cannot be read."""
    value, errors = TargetInput(), {}
    for name in ("baseline", "target"):
        try:
            setattr(value, name, parse_number(raw[name]))
        except ValueError:
            errors[name] = _("“%(v)s” không phải là số; ví dụ: 1.234,5", v=raw[name])
    if "target" not in errors:
        if value.target is None and required_target:
            errors["target"] = _("Cần nhập chỉ tiêu.")
        elif value.target is not None and value.target < 0:
            errors["target"] = _("Chỉ tiêu không được âm.")
    if raw["deadline"].strip():
        try:
            value.deadline = parse_date(raw["deadline"])
        except ValueError:
            errors["deadline"] = _("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")
    if len(raw["uom"]) > 40:
        errors["uom"] = _("Tối đa %(max)d ký tự.", max=40)
    value.unit_of_measure, value.note = raw["uom"].strip(), raw["note"].strip()[:500]
    return value, errors


def read_targets(formdata, criteria: list[Criterion]):
    """All rows: (values by criterion id, errors by criterion id, typed text by criterion id)."""
    values, errors, raws = {}, {}, {}
    for criterion in criteria:
        raws[criterion.id] = raw = raw_target(formdata, criterion.id)
        values[criterion.id], row_errors = read_target(raw)
        if row_errors:
            errors[criterion.id] = row_errors
    return values, errors, raws


class ExemplaryForm(FlaskForm):
    person_name = StringField(_l("Họ và tên"), validators=[required(), max_length(120)])
    person_title = StringField(_l("Chức vụ, đơn vị công tác"), validators=[max_length(255)])
    task1_group = SelectField(
        _l("Nhóm việc"), coerce=int, choices=choices(ExemplaryTaskGroup.LABELS)
    )
    task1_description = TextAreaField(
        _l("Việc thứ nhất"),
        validators=[required(_l("Hãy ghi ít nhất một việc cụ thể."))],
        render_kw={"rows": 3},
    )
    task1_result = TextAreaField(_l("Kết quả dự kiến"), render_kw={"rows": 2})
    task1_deadline = DateField(_l("Thời hạn"), validators=[Optional()])
    task2_group = SelectField(
        _l("Nhóm việc"), coerce=int, choices=choices(ExemplaryTaskGroup.LABELS)
    )
    task2_description = TextAreaField(_l("Việc thứ hai (nếu có)"), render_kw={"rows": 3})
    task2_result = TextAreaField(_l("Kết quả dự kiến"), render_kw={"rows": 2})
    task2_deadline = DateField(_l("Thời hạn"), validators=[Optional()])


class EvaluationForm(FlaskForm):
    evaluation = SelectField(_l("Kết quả cuối năm"))
    note = TextAreaField(_l("Nhận xét"), render_kw={"rows": 2})
