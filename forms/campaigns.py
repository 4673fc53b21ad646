from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from emulation.campaigns.models import CampaignForm as Form
from emulation.campaigns.models import PhaseKind
from forms import choices, input_required, max_length, required
from forms.fields import DateField, not_before


class CampaignForm(FlaskForm):
    name = StringField(_l("Tên phong trào"), validators=[required(), max_length(500)])
    slug = StringField(
        _l("Mã đường dẫn"),
        validators=[max_length(80)],
        description=_l("Chữ thường không dấu, nối bằng dấu gạch; để trống để tự tạo từ tên."),
    )
    theme = TextAreaField(_l("Chủ đề, khẩu hiệu"), render_kw={"rows": 3})
    form = SelectField(_l("Hình thức"), choices=choices(Form.LABELS))
    authority = StringField(_l("Cơ quan phát động"), validators=[max_length(255)])
    decision_number = StringField(
        _l("Số quyết định / văn bản phát động"), validators=[max_length(80)]
    )
    decision_date = DateField(_l("Ngày ban hành"), validators=[Optional()])
    start_date = DateField(_l("Bắt đầu"), validators=[input_required(_l("Hãy nhập ngày bắt đầu."))])
    end_date = DateField(
        _l("Kết thúc"),
        validators=[
            input_required(_l("Hãy nhập ngày kết thúc.")),
            not_before("start_date", _l("Ngày kết thúc phải sau ngày bắt đầu.")),
        ],
    )
    content_areas = TextAreaField(
        _l("Nội dung thi đua"),
        render_kw={"rows": 8},
        description=_l("Mỗi dòng một nội dung; thường trở thành các nhóm tiêu chí."),
    )


class PhaseForm(FlaskForm):
    kind = SelectField(_l("Giai đoạn"), choices=choices(PhaseKind.LABELS))
    title = StringField(
        _l("Tên riêng (nếu có)"),
        validators=[max_length(255)],
        render_kw={"placeholder": _l("ví dụ: Sơ kết 6 tháng")},
    )
    starts_on = DateField(_l("Từ ngày"), validators=[input_required(_l("Hãy nhập ngày bắt đầu."))])
    ends_on = DateField(
        _l("Đến ngày"),
        validators=[
            input_required(_l("Hãy nhập ngày kết thúc.")),
            not_before("starts_on", _l("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")),
        ],
    )


class ParticipantsForm(FlaskForm):
    clusters = SelectMultipleField(_l("Cụm, khối tham gia"), coerce=int)
    units = SelectMultipleField(_l("Đơn vị tham gia riêng lẻ"), coerce=int)


class CloneForm(FlaskForm):
    name = StringField(_l("Tên phong trào mới"), validators=[required(), max_length(500)])
    slug = StringField(_l("Mã đường dẫn"), validators=[max_length(80)])
    start_date = DateField(
        _l("Ngày bắt đầu mới"), validators=[input_required(_l("Hãy nhập ngày bắt đầu."))]
    )
