"""Forms of the criteria editor: one item of the tree, the set's settings, the file import.

Point fields are text on purpose: people type "1,5" as often as "1.5", and the domain
(emulation.criteria.parse_points) reads both and says what is wrong in Vietnamese.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)

from emulation.core.i18n import format_plain
from emulation.criteria.service import (
    SANCTIONS,
    SCORING_TYPES,
    SECTIONS,
    levels_as_text,
)
from forms import choices, max_length, required


class CriterionForm(FlaskForm):
    parent_id = HiddenField()
    code = StringField(
        _l("Mã"),
        validators=[required(), max_length(20)],
        description=_l("Ví dụ 1, 1.2 hoặc 1.2.a; không trùng trong bảng."),
    )
    title = TextAreaField(_l("Tên mục"), validators=[required(), max_length(500)])
    section = SelectField(
        _l("Phần"), choices=choices(SECTIONS), default="base", validate_choice=False
    )
    max_points = StringField(
        _l("Điểm tối đa"), validators=[required()], description=_l("Ví dụ 10 hoặc 2,5.")
    )
    scoring_type = SelectField(
        _l("Cách chấm"),
        choices=choices({code: label for code, (label, _specs) in SCORING_TYPES.items()}),
        default="sum",
        validate_choice=False,
    )
    unit_of_measure = StringField(_l("Đơn vị tính"), validators=[max_length(40)])
    sanction = SelectField(
        _l("Chế tài kèm theo"),
        choices=choices([("", _l("— Không có —")), *SANCTIONS.items()]),
        default="",
        validate_choice=False,
    )
    evidence = TextAreaField(_l("Minh chứng cần nộp"))
    evidence_required = BooleanField(_l("Bắt buộc nộp minh chứng"))
    guidance = TextAreaField(_l("Hướng dẫn chấm"))


def params_as_text(scoring_type: str, params: dict | None) -> dict[str, str]:
    """Stored parameters as the editor's inputs show them."""
    params = params or {}
    texts = {}
    for spec in SCORING_TYPES.get(scoring_type, ("", ()))[1]:
        value = params.get(spec.name, spec.default)
        if spec.kind == "levels":
            texts[spec.name] = levels_as_text(value or [])
        elif spec.kind == "number":
            texts[spec.name] = format_plain(value)
        else:
            texts[spec.name] = "" if value is None else str(value)
    return texts


def params_from_form(scoring_type: str, formdata) -> dict[str, str]:
    """The parameter inputs ("param-<name>") sent for this scoring type, as typed."""
    return {
        spec.name: formdata[f"param-{spec.name}"]
        for spec in SCORING_TYPES.get(scoring_type, ("", ()))[1]
        if f"param-{spec.name}" in formdata
    }


class GradeForm(Form):
    name = StringField(_l("Xếp loại"))
    min = StringField(_l("Từ (điểm)"))
    quota_pct = StringField(_l("Tỷ lệ tối đa (%)"))


class SettingsForm(FlaskForm):
    rounding_step = StringField(
        _l("Bước làm tròn"), description=_l("Ví dụ 0,25; để trống nếu không làm tròn.")
    )
    bonus_cap = StringField(_l("Trần điểm thưởng"), description=_l("Để trống nếu không giới hạn."))
    deduction_cap = StringField(_l("Trần điểm trừ"), description=_l("Để trống nếu không giới hạn."))
    grades = FieldList(FormField(GradeForm))
    tie_break = FieldList(SelectField(validate_choice=False))


class CriteriaImportForm(FlaskForm):
    file = FileField(
        _l("Tệp bảng tiêu chí (.xlsx hoặc .csv)"),
        validators=[
            FileRequired(_l("Hãy chọn một tệp.")),
            FileAllowed(["xlsx", "csv"], _l("Chỉ nhận tệp .xlsx hoặc .csv.")),
        ],
    )
