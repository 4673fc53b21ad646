"""Commendation forms: the rulebook and its award types, nominations, discipline flags, past
awards, public comments and their handling, the council meeting and the decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from emulation.campaigns.models import CampaignForm
from emulation.commendation.models import CommentStatus, Denominator, NominationSubject, Subject
from emulation.commendation.rulebook import RULES
from emulation.core.numbers import parse_number
from forms import choices, input_required, max_length, required
from forms.fields import DateField, NumberField


class WholeNumberField(StringField):
    """A whole number typed as text; empty → None; the typed text is kept when it is wrong."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                value = parse_number(valuelist[0])
            except ValueError as exc:
                raise ValueError(_l("Cần nhập số nguyên, ví dụ 3.")) from exc
            if value is None or value != value.to_integral_value():
                raise ValueError(_l("Cần nhập số nguyên, ví dụ 3."))
            self.data = int(value)


def optional_id(value) -> int:
    """A select's id, 0 for "none" (or anything that is not a number)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- rulebook ---------------------------------------------------------------------------------


class RulebookForm(FlaskForm):
    province = StringField(_l("Tỉnh"), validators=[required(), max_length(120)])
    version = StringField(
        _l("Phiên bản"),
        validators=[required(), max_length(40)],
        render_kw={"placeholder": _l("ví dụ: 2026")},
    )
    effective_from = DateField(
        _l("Có hiệu lực từ ngày"), validators=[input_required(_l("Hãy nhập ngày có hiệu lực."))]
    )
    note = TextAreaField(_l("Căn cứ, ghi chú"), render_kw={"rows": 2})
    holidays = TextAreaField(
        _l("Ngày nghỉ lễ (không tính là ngày làm việc)"),
        render_kw={"rows": 3, "placeholder": "02/09/2026"},
        description=_l("Mỗi dòng một ngày, dạng dd/mm/yyyy; thứ Bảy, Chủ nhật luôn được bỏ qua."),
    )


class NewVersionForm(FlaskForm):
    version = StringField(_l("Tên phiên bản mới"), validators=[required(), max_length(40)])
    effective_from = DateField(
        _l("Có hiệu lực từ ngày"), validators=[input_required(_l("Hãy nhập ngày có hiệu lực."))]
    )
    note = TextAreaField(_l("Căn cứ, ghi chú"), render_kw={"rows": 2})


class AwardTypeForm(FlaskForm):
    code = StringField(
        _l("Mã"),
        validators=[required(), max_length(20)],
        description=_l(
            "Viết hoa không dấu, ví dụ CTD_TINH; lịch sử khen thưởng đối chiếu theo mã."
        ),
    )
    name = StringField(_l("Tên hình thức, danh hiệu"), validators=[required(), max_length(255)])
    subject = SelectField(_l("Đối tượng"), choices=choices(Subject.LABELS))
    forms = SelectMultipleField(
        _l("Áp dụng cho phong trào"),
        choices=choices(CampaignForm.LABELS),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    rule = SelectField(_l("Điều kiện xét từ kết quả"), choices=choices(RULES))
    k = WholeNumberField(_l("Số đơn vị đầu mỗi cụm"))
    grade = StringField(
        _l("Xếp loại tối thiểu"),
        validators=[max_length(40)],
        render_kw={"placeholder": _l("ví dụ: Tốt")},
    )
    or_grade = StringField(
        _l("Hoặc đạt xếp loại (không cần thứ hạng)"), validators=[max_length(40)]
    )
    unless = StringField(
        _l("Không xét cùng (mã, cách nhau dấu phẩy)"),
        validators=[max_length(200)],
        description=_l("Đơn vị đã được đề nghị các hình thức này thì không đề nghị thêm."),
    )
    requires_award = StringField(_l("Cần đạt liên tục (mã)"), validators=[max_length(20)])
    requires_years = WholeNumberField(_l("Số năm liên tục"))
    quota_per_cluster = WholeNumberField(_l("Tối đa mỗi cụm, khối"))
    quota_total = WholeNumberField(_l("Tối đa toàn tỉnh"))
    quorum = StringField(
        _l("Số thành viên có mặt tối thiểu"),
        default="2/3",
        validators=[required(), max_length(12)],
        description=_l("Phần của tổng số thành viên Hội đồng, ví dụ 2/3."),
    )
    secret_ballot = BooleanField(_l("Bỏ phiếu kín"), default=True)
    denominator = SelectField(_l("Tỷ lệ đồng ý tính trên"), choices=choices(Denominator.LABELS))
    threshold_pct = NumberField(
        _l("Tỷ lệ đồng ý tối thiểu (%)"),
        validators=[input_required(_l("Hãy nhập tỷ lệ đồng ý tối thiểu."))],
    )
    posting_days = WholeNumberField(
        _l("Số ngày làm việc công khai"),
        default=0,
        description=_l("10 ngày với khen thưởng cấp Nhà nước; 0 = không bắt buộc."),
    )
    counts_toward_higher = BooleanField(
        _l("Được tính làm căn cứ xét khen thưởng cao hơn"), default=True
    )
    note = TextAreaField(_l("Ghi chú"), render_kw={"rows": 2})


# --- nominations ------------------------------------------------------------------------------


class NominationForm(FlaskForm):
    subject = SelectField(_l("Đối tượng"), choices=choices(NominationSubject.LABELS))
    award_type_id = SelectField(
        _l("Hình thức khen thưởng"),
        coerce=optional_id,
        validators=[required(_l("Hãy chọn hình thức khen thưởng."))],
    )
    unit_id = SelectField(_l("Đơn vị"), coerce=optional_id, validate_choice=False)
    person_name = StringField(
        _l("Họ và tên / tên điển hình, mô hình"), validators=[max_length(120)]
    )
    person_title = StringField(_l("Chức vụ, đơn vị công tác"), validators=[max_length(255)])
    summary = TextAreaField(
        _l("Tóm tắt thành tích"),
        render_kw={"rows": 5},
        description=_l(
            "Thành tích nổi bật, số liệu cụ thể; báo cáo thành tích đầy đủ nộp kèm hồ sơ."
        ),
    )


class NominationEditForm(FlaskForm):
    person_name = StringField(
        _l("Họ và tên / tên điển hình, mô hình"), validators=[max_length(120)]
    )
    person_title = StringField(_l("Chức vụ, đơn vị công tác"), validators=[max_length(255)])
    summary = TextAreaField(_l("Tóm tắt thành tích"), render_kw={"rows": 5})
    reason = TextAreaField(_l("Căn cứ đề nghị"), render_kw={"rows": 2})


class RemoveForm(FlaskForm):
    note = StringField(_l("Lý do"), validators=[max_length(500)])


class DisciplineForm(FlaskForm):
    unit_id = SelectField(
        _l("Đơn vị"), coerce=optional_id, validators=[required(_l("Hãy chọn đơn vị."))]
    )
    person_name = StringField(_l("Cá nhân (để trống: chính đơn vị)"), validators=[max_length(120)])
    reason = TextAreaField(_l("Lý do"), validators=[required()], render_kw={"rows": 2})
    until = DateField(_l("Đến ngày (để trống: đến khi gỡ)"), validators=[Optional()])


class PastAwardForm(FlaskForm):
    award_code = StringField(_l("Mã hình thức"), validators=[required(), max_length(20)])
    award_name = StringField(_l("Tên hình thức"), validators=[required(), max_length(255)])
    year = WholeNumberField(_l("Năm"), validators=[input_required(_l("Hãy nhập năm."))])
    person_name = StringField(
        _l("Cá nhân (để trống: tập thể đơn vị)"), validators=[max_length(120)]
    )
    person_title = StringField(_l("Chức vụ"), validators=[max_length(255)])
    decision_number = StringField(_l("Số quyết định"), validators=[max_length(80)])
    decision_date = DateField(_l("Ngày quyết định"), validators=[Optional()])
    counts_toward_higher = BooleanField(
        _l("Được tính làm căn cứ xét khen thưởng cao hơn"), default=True
    )


# --- public posting ---------------------------------------------------------------------------


class CommentForm(FlaskForm):
    nomination_id = SelectField(
        _l("Về đối tượng (không bắt buộc)"), coerce=optional_id, validate_choice=False
    )
    author_name = StringField(_l("Họ và tên (không bắt buộc)"), validators=[max_length(120)])
    contact = StringField(
        _l("Số điện thoại hoặc thư điện tử (không bắt buộc)"),
        validators=[max_length(120)],
        description=_l("Chỉ Thường trực Hội đồng xem được, để liên hệ khi cần làm rõ."),
    )
    content = TextAreaField(
        _l("Nội dung ý kiến"),
        validators=[required(_l("Hãy nhập nội dung ý kiến."))],
        render_kw={"rows": 5},
    )


class HandleCommentForm(FlaskForm):
    status = RadioField(
        _l("Kết quả xử lý"),
        choices=choices({k: v for k, v in CommentStatus.LABELS.items() if k != CommentStatus.NEW}),
        validators=[required(_l("Chọn tiếp thu hoặc không tiếp thu."))],
    )
    note = TextAreaField(
        _l("Nội dung xử lý, trả lời"),
        validators=[required(_l("Cần ghi nội dung xử lý, trả lời."))],
        render_kw={"rows": 2},
    )
    public = BooleanField(_l("Công khai ý kiến và câu trả lời"), default=True)


class PostingStartForm(FlaskForm):
    posting_from = DateField(
        _l("Bắt đầu công khai từ ngày"),
        validators=[input_required(_l("Cần nhập ngày bắt đầu công khai."))],
    )


# --- meeting and decision ---------------------------------------------------------------------


class MeetingForm(FlaskForm):
    held_on = DateField(_l("Ngày họp"), validators=[input_required(_l("Cần nhập ngày họp."))])
    place = StringField(_l("Địa điểm"), validators=[max_length(255)])
    chair = StringField(
        _l("Chủ trì"),
        validators=[required(_l("Cần nhập người chủ trì.")), max_length(255)],
        render_kw={"placeholder": _l("ví dụ: Chủ tịch UBND tỉnh, Chủ tịch Hội đồng")},
    )
    secretary = StringField(_l("Thư ký"), validators=[max_length(255)])


class DecisionForm(FlaskForm):
    award_type_id = SelectField(
        _l("Hình thức khen thưởng"),
        coerce=optional_id,
        validators=[required(_l("Hãy chọn hình thức khen thưởng."))],
    )
    number = StringField(
        _l("Số quyết định"),
        validators=[required(_l("Cần nhập số quyết định.")), max_length(80)],
        render_kw={"placeholder": "125/QĐ-UBND"},
    )
    signed_on = DateField(_l("Ngày ký"), validators=[input_required(_l("Cần nhập ngày ký."))])
    signer = StringField(
        _l("Người ký"),
        validators=[required(_l("Cần nhập người ký.")), max_length(255)],
        render_kw={"placeholder": _l("ví dụ: Chủ tịch UBND tỉnh")},
    )
