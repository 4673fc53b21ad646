"""Flask-WTF forms, one module per area; messages in Vietnamese, translated through Babel."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length


def required(message=None):
    return DataRequired(message=message or _l("Trường này không được để trống."))


def input_required(message=None):
    return InputRequired(message=message or _l("Trường này không được để trống."))


def max_length(n: int):
    return Length(max=n, message=_l("Tối đa %(max)d ký tự.", max=n))


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs or a {value: label} dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]
