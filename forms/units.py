from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField

from emulation.units.models import UNIT_LEVELS, UNIT_TYPES
from forms import choices, max_length, required


class UnitForm(FlaskForm):
    code = StringField(_l("Mã đơn vị"), validators=[required(), max_length(32)])
    name = StringField(_l("Tên đơn vị"), validators=[required(), max_length(255)])
    short_name = StringField(_l("Tên ngắn"), validators=[max_length(120)])
    type = SelectField(_l("Loại đơn vị"), choices=choices(UNIT_TYPES))
    level = SelectField(_l("Cấp"), choices=choices(UNIT_LEVELS))
    parent_id = SelectField(_l("Đơn vị cấp trên"), coerce=int, default=0)
    active = BooleanField(_l("Đang hoạt động"), default=True)


class UnitImportForm(FlaskForm):
    file = FileField(
        _l("Tệp danh sách đơn vị (.xlsx hoặc .csv)"),
        validators=[
            FileRequired(_l("Hãy chọn một tệp.")),
            FileAllowed(["xlsx", "csv"], _l("Chỉ nhận tệp .xlsx hoặc .csv.")),
        ],
    )
