from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import NumberRange

from emulation.core.clock import local_today
from emulation.units.models import CLUSTER_KINDS, ClusterPosition
from forms import choices, input_required, max_length, required


def _year_field(label):
    return IntegerField(
        label,
        default=lambda: local_today().year,
        validators=[
            input_required(_l("Hãy nhập năm, ví dụ 2025.")),
            NumberRange(2000, 2100, message=_l("Năm phải từ 2000 đến 2100.")),
        ],
    )


class ClusterForm(FlaskForm):
    name = StringField(_l("Tên cụm, khối"), validators=[required(), max_length(255)])
    kind = SelectField(_l("Loại"), choices=choices(CLUSTER_KINDS))
    year = _year_field(_l("Năm"))
    note = StringField(_l("Ghi chú"), validators=[max_length(500)])


class MemberForm(FlaskForm):
    unit_id = SelectField(_l("Đơn vị"), coerce=int, validators=[required(_l("Hãy chọn đơn vị."))])
    position = SelectField(_l("Vị trí"), choices=choices(ClusterPosition.LABELS))


class PositionForm(FlaskForm):
    position = SelectField(_l("Vị trí"), choices=choices(ClusterPosition.LABELS))


class CopyClustersForm(FlaskForm):
    from_year = _year_field(_l("Từ năm"))
    to_year = _year_field(_l("Sang năm"))
