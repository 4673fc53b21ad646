from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from emulation.showcase.models import FIELDS, ProfileKind
from emulation.showcase.service import MAX_FIGURES
from forms import choices, input_required, max_length
from forms.fields import DateField, NumberField


def year_text(form, field) -> None:
    """A four-digit year, or nothing (then the campaign's year is taken)."""
    text = (field.data or "").strip()
    if text and not (text.isdigit() and len(text) == 4):
        raise ValidationError(_l("Hãy nhập năm gồm 4 chữ số, ví dụ 2025."))


class FigureForm(Form):
    """One measured result: what was measured, the number, its unit."""

    label = StringField(_l("Kết quả đạt được"), validators=[max_length(120)])
    value = NumberField(_l("Số liệu"))
    unit = StringField(_l("Đơn vị tính"), validators=[max_length(40)])

    def validate_label(self, field) -> None:
        if not (field.data or "").strip() and (self.value.raw_data or [""])[0].strip():
            raise ValidationError(_l("Hãy ghi kết quả này là gì."))

    def validate_value(self, field) -> None:
        if (self.label.data or "").strip() and field.data is None and not field.errors:
            raise ValidationError(_l("Hãy nhập số liệu."))


class ProfileForm(FlaskForm):
    kind = SelectField(_l("Loại điển hình"), choices=choices(ProfileKind.LABELS))
    unit_id = SelectField(
        _l("Đơn vị"),
        coerce=int,
        description=_l(
            "Tập thể được tôn vinh; với mô hình là đơn vị xây dựng mô hình; với cá nhân là nơi công tác."
        ),
    )
    person_name = StringField(_l("Họ và tên (với cá nhân)"), validators=[max_length(120)])
    person_title = StringField(
        _l("Chức vụ, nơi công tác (với cá nhân)"), validators=[max_length(255)]
    )
    title = StringField(
        _l("Tên mô hình"),
        validators=[max_length(255)],
        description=_l("Bắt buộc với mô hình; với tập thể, cá nhân có thể để trống."),
    )
    headline = StringField(
        _l("Tóm tắt một dòng"),
        validators=[max_length(300)],
        description=_l("Hiện trên thẻ trong thư viện điển hình."),
    )
    story = TextAreaField(
        _l("Câu chuyện điển hình"),
        validators=[max_length(20000)],
        render_kw={"rows": 12},
        description=_l("Để một dòng trống giữa các đoạn."),
    )
    campaign_id = SelectField(_l("Phong trào thi đua"), coerce=int)
    year = StringField(
        _l("Năm"),
        validators=[year_text],
        render_kw={"inputmode": "numeric"},
        description=_l("Để trống thì lấy năm của phong trào."),
    )
    field = SelectField(_l("Lĩnh vực"), choices=choices(FIELDS))
    award_text = StringField(
        _l("Hình thức khen thưởng"),
        validators=[max_length(500)],
        render_kw={"placeholder": _l("ví dụ: Bằng khen của Chủ tịch UBND tỉnh năm 2025")},
    )
    results = FieldList(FormField(FigureForm), max_entries=MAX_FIGURES)
    slug = StringField(
        _l("Mã đường dẫn"),
        validators=[max_length(120)],
        description=_l("Chữ thường không dấu, nối bằng dấu gạch; để trống để tự tạo."),
    )


class PhotoForm(FlaskForm):
    file = FileField(_l("Ảnh"), validators=[FileRequired(_l("Hãy chọn một ảnh."))])
    caption = StringField(
        _l("Chú thích ảnh"),
        validators=[max_length(300)],
        description=_l("Mô tả ngắn nội dung ảnh; cũng là văn bản thay thế cho người khiếm thị."),
    )


class CaptionForm(FlaskForm):
    caption = StringField(_l("Chú thích ảnh"), validators=[max_length(300)])


class ReplicationForm(FlaskForm):
    # Not "unit_id": the profile form on the same page has one.
    adopting_unit_id = SelectField(_l("Đơn vị áp dụng"), coerce=int)
    adopted_on = DateField(
        _l("Ngày áp dụng"), validators=[input_required(_l("Hãy nhập ngày áp dụng."))]
    )
    note = StringField(_l("Ghi chú"), validators=[max_length(500)])
