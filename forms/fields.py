"""Fields that read and show values the Vietnamese way: dd/mm/yyyy dates, "1.234,5" numbers."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from emulation.core.clock import format_date, parse_date
from emulation.core.i18n import format_plain
from emulation.core.numbers import parse_number


class DateField(StringField):
    """A text input showing dd/mm/yyyy; also accepts what a browser date picker sends."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_date(self.data) if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_date(valuelist[0])
            except ValueError as exc:
                raise ValueError(_l("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")) from exc


class NumberField(StringField):
    """A decimal typed as people type it here; the typed text is kept when it is wrong."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_plain(self.data)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            try:
                self.data = parse_number(valuelist[0])
            except ValueError as exc:
                raise ValueError(_l("Không phải là số; ví dụ: 1.234,5")) from exc


def not_before(other_name: str, message):
    """The field's date must not be before another date field's."""

    def check(form, field):
        other = form[other_name].data
        if field.data and other and field.data < other:
            raise ValidationError(message)

    return check
