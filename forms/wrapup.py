"""The wrap-up review form: the four parts of a wrap-up report, and the version it was
opened on (lengths are checked by emulation.wrapup.service, which says how much is too much)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField

from emulation.wrapup.service import REVIEW_FIELDS


class ReviewForm(FlaskForm):
    version = HiddenField()
    achievements = TextAreaField(
        _l("Kết quả nổi bật"),
        description=_l("Những kết quả đạt được, mô hình, cách làm hay của phong trào."),
        render_kw={"rows": 6},
    )
    shortcomings = TextAreaField(
        _l("Tồn tại, hạn chế"),
        description=_l("Bên cạnh kết quả đạt được, còn những hạn chế nào và nguyên nhân."),
        render_kw={"rows": 5},
    )
    lessons = TextAreaField(
        _l("Bài học kinh nghiệm"),
        description=_l("Bài học rút ra trong tổ chức, chỉ đạo phong trào thi đua."),
        render_kw={"rows": 5},
    )
    next_steps = TextAreaField(
        _l("Phương hướng thời gian tới"),
        description=_l("Nhiệm vụ, giải pháp tiếp tục phát huy kết quả của phong trào."),
        render_kw={"rows": 5},
    )

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in REVIEW_FIELDS}

    def opened_version(self) -> int:
        """The version the form was opened on; 0 when none was sent or it is not a number."""
        raw = (self.version.data or "").strip()
        return int(raw) if raw.isdigit() else 0
