from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, Optional

from emulation.accounts.models import Role
from forms import choices, max_length, required


class UserForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[required(), max_length(64)])
    full_name = StringField(_l("Họ và tên"), validators=[required(), max_length(120)])
    email = EmailField(
        _l("Thư điện tử"),
        validators=[
            Optional(),
            Email(message=_l("Địa chỉ thư điện tử không hợp lệ.")),
            max_length(255),
        ],
    )
    role = SelectField(_l("Vai trò"), choices=choices(Role.LABELS))
    unit_id = SelectField(_l("Đơn vị"), coerce=int, default=0)
    password = PasswordField(_l("Mật khẩu"), description=_l("Để trống nếu không đổi."))
    active = BooleanField(_l("Đang hoạt động"), default=True)
