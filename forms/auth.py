from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import EqualTo

from forms import max_length, required


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[required(), max_length(64)])
    password = PasswordField(_l("Mật khẩu"), validators=[required()])
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên máy này"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[required()])
    new = PasswordField(_l("Mật khẩu mới"), validators=[required()])
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[required(), EqualTo("new", message=_l("Hai mật khẩu không khớp."))],
    )
