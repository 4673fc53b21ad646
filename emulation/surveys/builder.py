"""Building a survey: settings, components, sections and questions (with show-if), the
order of things, opening and closing, new versions, and a ready SIPAS questionnaire.

Questions change only while nobody has answered; after that a change is a new version
with the same code (emulation.surveys.service pools versions by component code). Every problem
with a question is reported at once, per field (InvalidSurvey.errors).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from emulation.campaigns.models import Campaign, CampaignStatus
from emulation.campaigns.service import participants
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.numbers import parse_number
from emulation.core.text import nfc
from emulation.surveys.answers import LIKERT_LABELS
from emulation.surveys.models import (
    QuestionKind,
    Survey,
    SurveyComponent,
    SurveyQuestion,
    SurveySection,
    SurveyStatus,
)
from emulation.surveys.service import (
    check_campaign_open,
    has_responses,
    random_code,
    survey_by_public_code,
    survey_units,
)
from emulation.units.models import Unit

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
PUBLIC_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
PUBLIC_LENGTH = 8


class InvalidSurvey(DomainError):
    """Some fields were refused; `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        first_field, messages = next(iter(errors.items()))
        super().__init__(messages[0], first_field)
        self.errors = errors


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


# --- building -------------------------------------------------------------------------------


def _new_public_code() -> str:
    while True:
        code = random_code(PUBLIC_ALPHABET, PUBLIC_LENGTH)
        if survey_by_public_code(code) is None:
            return code


def check_questions_editable(survey: Survey) -> None:
    """Questions change only while nobody has answered; after that, a new version."""
    check_campaign_open(survey.campaign)
    if survey.id is not None and has_responses(survey):
        raise NotAllowed(
            _("Khảo sát đã có phiếu trả lời nên không sửa được câu hỏi. Hãy tạo phiên bản mới.")
        )


def create_survey(campaign: Campaign, **fields) -> Survey:
    """A new draft survey with one empty section."""
    check_campaign_open(campaign)
    survey = Survey(
        campaign=campaign, version=1, status=SurveyStatus.DRAFT, public_code=_new_public_code()
    )
    save_settings(survey, **fields)
    survey.sections.append(SurveySection(title=_("Nội dung khảo sát"), position=0))
    return survey


def save_settings(
    survey: Survey,
    *,
    title: str,
    code: str,
    intro: str = "",
    thanks: str = "",
    allow_tokens: bool = True,
    allow_open: bool = False,
    allow_login: bool = False,
    open_in_index: bool = False,
    min_sample: int | None = 30,
    opens_on: date | None = None,
    closes_on: date | None = None,
    units: Iterable[Unit] = (),
) -> Survey:
    """Validate and store a survey's settings (not its questions)."""
    campaign = survey.campaign
    check_campaign_open(campaign)
    errors: dict[str, list[str]] = {}
    title, code = nfc(title), nfc(code)
    if not title:
        _add(errors, "title", _("Cần nhập tên khảo sát."))
    elif len(title) > 255:
        _add(errors, "title", _("Tối đa %(max)d ký tự.", max=255))
    if not code:
        _add(errors, "code", _("Cần nhập mã khảo sát, ví dụ SIPAS-2026."))
    elif len(code) > 40 or not CODE.match(code):
        _add(
            errors,
            "code",
            _("Mã chỉ gồm chữ không dấu, số và các dấu - _ . (tối đa 40 ký tự)."),
        )
    elif code != survey.code:
        if survey.version > 1 or (survey.id is not None and has_responses(survey)):
            _add(errors, "code", _("Không đổi được mã của khảo sát đã có phiếu hoặc phiên bản."))
        elif db.session.scalar(
            select(Survey.id).where(Survey.campaign_id == campaign.id, Survey.code == code)
        ):
            _add(errors, "code", _("Mã %(code)s đã được dùng trong phong trào này.", code=code))
    if not (allow_tokens or allow_open or allow_login):
        _add(errors, "allow_tokens", _("Chọn ít nhất một cách trả lời."))
    if min_sample is None or min_sample < 1:
        _add(errors, "min_sample", _("Cỡ mẫu tối thiểu là một số nguyên từ 1."))
    if opens_on and closes_on and closes_on < opens_on:
        _add(errors, "closes_on", _("Ngày đóng phải sau hoặc trùng ngày mở."))
    units = list(units)
    members = {u.id for u in participants(campaign)}
    outsiders = [u.name for u in units if u.id not in members]
    if outsiders:
        _add(
            errors,
            "units",
            _("Không tham gia phong trào: %(names)s.", names=", ".join(outsiders)),
        )
    if errors:
        raise InvalidSurvey(errors)
    survey.title, survey.code = title, code
    survey.intro, survey.thanks = nfc(intro), nfc(thanks)
    survey.allow_tokens, survey.allow_open, survey.allow_login = (
        allow_tokens,
        allow_open,
        allow_login,
    )
    survey.open_in_index = open_in_index
    survey.min_sample = min_sample
    survey.opens_on, survey.closes_on = opens_on, closes_on
    survey.units = units
    db.session.add(survey)
    return survey


def save_component(survey: Survey, component: SurveyComponent | None, *, code: str, title: str):
    check_questions_editable(survey)
    errors: dict[str, list[str]] = {}
    code, title = nfc(code), nfc(title)
    if not code:
        _add(errors, "code", _("Cần nhập mã nhóm, ví dụ TC1."))
    elif len(code) > 20 or not CODE.match(code):
        _add(errors, "code", _("Mã chỉ gồm chữ không dấu, số và các dấu - _ . (tối đa 20 ký tự)."))
    elif any(c.code == code and c is not component for c in survey.components):
        _add(errors, "code", _("Mã nhóm %(code)s đã có.", code=code))
    if not title:
        _add(errors, "title", _("Cần nhập tên nhóm."))
    elif len(title) > 255:
        _add(errors, "title", _("Tối đa %(max)d ký tự.", max=255))
    if errors:
        raise InvalidSurvey(errors)
    if component is None:
        component = SurveyComponent(position=len(survey.components))
        survey.components.append(component)
    component.code, component.title = code, title
    return component


def delete_component(survey: Survey, component: SurveyComponent) -> None:
    check_questions_editable(survey)
    for question in survey.questions:
        if question.component is component:
            question.component = None
    survey.components.remove(component)


def save_section(survey: Survey, section: SurveySection | None, *, title: str, intro: str = ""):
    check_questions_editable(survey)
    title = nfc(title)
    if not title:
        raise InvalidSurvey({"title": [_("Cần nhập tên phần.")]})
    if len(title) > 255:
        raise InvalidSurvey({"title": [_("Tối đa %(max)d ký tự.", max=255)]})
    if section is None:
        section = SurveySection(position=len(survey.sections))
        survey.sections.append(section)
    section.title, section.intro = title, nfc(intro)
    return section


def delete_section(survey: Survey, section: SurveySection) -> None:
    check_questions_editable(survey)
    if len(survey.sections) == 1:
        raise NotAllowed(_("Khảo sát cần ít nhất một phần."))
    doomed = [q for q in survey.questions if q.section is section]
    codes = {q.code for q in doomed}
    _refuse_if_depended_on(survey, codes, doomed)
    for question in doomed:
        survey.questions.remove(question)
    survey.sections.remove(section)


def _refuse_if_depended_on(survey: Survey, codes: set[str], leaving: list) -> None:
    waiting = [
        q.code
        for q in survey.questions
        if q not in leaving and q.show_if and q.show_if.get("question") in codes
    ]
    if waiting:
        raise NotAllowed(
            _(
                "Câu %(codes)s đang chỉ hiện theo câu trả lời của câu này; hãy sửa điều kiện của chúng trước.",
                codes=", ".join(waiting),
            )
        )


def _lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [nfc(str(line)) for line in value or [] if nfc(str(line))]


def _next_code(survey: Survey) -> str:
    taken = {q.code for q in survey.questions}
    number = len(survey.questions) + 1
    while f"C{number}" in taken:
        number += 1
    return f"C{number}"


@dataclass
class QuestionInput:
    """A question as the builder's form sends it (text as typed)."""

    text: str = ""
    kind: str = QuestionKind.LIKERT
    code: str = ""
    help: str = ""
    required: bool = False
    options: str | list = ""
    rows: str | list = ""
    min_value: str = ""
    max_value: str = ""
    component_id: int | None = None
    show_if_question: str = ""
    show_if_values: str | list = ""
    section_id: int | None = None


def answer_values(question: SurveyQuestion) -> list[tuple[str, str]]:
    """(value, label) of the answers a later question may wait for."""
    if question.kind == QuestionKind.LIKERT:
        return [(str(v), f"{v} – {label}") for v, label in LIKERT_LABELS.items()]
    return [(option, option) for option in question.options]


def earlier_questions(survey: Survey, question: SurveyQuestion | None, section_id=None) -> list:
    """Questions a show-if may refer to: chosen-answer kinds placed before this one."""
    ordered = survey.ordered_questions
    if question is not None and question in ordered:
        ordered = ordered[: ordered.index(question)]
    elif section_id is not None:
        # A new question goes at the end of its section.
        rank = [s.id for s in survey.sections]
        if section_id in rank:
            later = set(rank[rank.index(section_id) + 1 :])
            ordered = [q for q in ordered if q.section_id not in later]
    return [q for q in ordered if q.kind in QuestionKind.CHOSEN]


def save_question(
    survey: Survey, question: SurveyQuestion | None, data: QuestionInput
) -> SurveyQuestion:
    """Validate and store a question; every problem is reported at once, per field."""
    check_questions_editable(survey)
    errors: dict[str, list[str]] = {}
    text = nfc(data.text)
    if not text:
        _add(errors, "text", _("Cần nhập nội dung câu hỏi."))
    code = nfc(data.code) or (question.code if question else _next_code(survey))
    if len(code) > 20 or not CODE.match(code):
        _add(errors, "code", _("Mã chỉ gồm chữ không dấu, số và các dấu - _ . (tối đa 20 ký tự)."))
    elif any(q.code.casefold() == code.casefold() and q is not question for q in survey.questions):
        _add(errors, "code", _("Mã câu %(code)s đã có.", code=code))
    if data.kind not in QuestionKind.LABELS:
        _add(errors, "kind", _("Loại câu hỏi không hợp lệ."))
    section = next((s for s in survey.sections if s.id == data.section_id), None)
    if section is None:
        section = question.section if question else survey.sections[-1]
    options, rows = _lines(data.options), _lines(data.rows)
    if data.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(options) < 2:
            _add(errors, "options", _("Cần ít nhất hai phương án, mỗi dòng một phương án."))
        elif len(set(options)) != len(options):
            _add(errors, "options", _("Các phương án không được trùng nhau."))
        elif any(len(option) > 255 for option in options):
            _add(errors, "options", _("Mỗi phương án tối đa %(max)d ký tự.", max=255))
    else:
        options = []
    if data.kind == QuestionKind.MATRIX:
        if not rows:
            _add(errors, "rows", _("Cần ít nhất một dòng, mỗi dòng một nội dung được đánh giá."))
    else:
        rows = []
    low = high = None
    if data.kind == QuestionKind.NUMBER:
        for name in ("min_value", "max_value"):
            try:
                value = parse_number(getattr(data, name))
            except ValueError:
                _add(errors, name, _("Hãy nhập một số, ví dụ 0 hoặc 100."))
                continue
            if value is not None and abs(value) >= Decimal("1e11"):
                _add(errors, name, _("Số quá lớn."))
            elif name == "min_value":
                low = value
            else:
                high = value
        if low is not None and high is not None and high < low:
            _add(errors, "max_value", _("Số lớn nhất phải từ số nhỏ nhất trở lên."))
    component = None
    if data.component_id:
        component = next((c for c in survey.components if c.id == data.component_id), None)
        if component is None:
            _add(errors, "component_id", _("Nhóm chỉ số không có trong khảo sát này."))
        elif data.kind not in QuestionKind.RATED:
            _add(
                errors,
                "component_id",
                _("Chỉ câu mức độ hài lòng (1–5) mới tính vào nhóm chỉ số."),
            )
    show_if = None
    if nfc(data.show_if_question):
        source = next(
            (
                q
                for q in earlier_questions(
                    survey,
                    question if question is not None and question.section is section else None,
                    section.id,
                )
                if q.code == nfc(data.show_if_question)
            ),
            None,
        )
        values = _lines(data.show_if_values)
        if source is None:
            _add(
                errors,
                "show_if_question",
                _("Chỉ đặt điều kiện theo một câu chọn đáp án đứng trước câu này."),
            )
        elif not values:
            _add(errors, "show_if_values", _("Chọn ít nhất một câu trả lời làm điều kiện."))
        else:
            allowed = [value for value, _label in answer_values(source)]
            wrong = [v for v in values if v not in allowed]
            if wrong:
                _add(
                    errors,
                    "show_if_values",
                    _(
                        "Câu %(code)s không có câu trả lời: %(values)s.",
                        code=source.code,
                        values=", ".join(wrong),
                    ),
                )
            else:
                show_if = {"question": source.code, "values": values}
    if question is not None and code != question.code:
        waiting = [
            q.code for q in survey.questions if (q.show_if or {}).get("question") == question.code
        ]
        if waiting:
            _add(
                errors,
                "code",
                _(
                    "Câu %(codes)s đang chỉ hiện theo câu này; không đổi mã được.",
                    codes=", ".join(waiting),
                ),
            )
    if errors:
        raise InvalidSurvey(errors)
    if question is None:
        question = SurveyQuestion(
            section=section,
            position=1
            + max((q.position for q in survey.questions if q.section is section), default=-1),
        )
        survey.questions.append(question)
    elif question.section is not section:
        question.section = section
        question.position = 1 + max(
            (q.position for q in survey.questions if q.section is section and q is not question),
            default=-1,
        )
    question.code, question.text, question.help = code, text, nfc(data.help)
    question.kind, question.required = data.kind, bool(data.required)
    question.options, question.rows = options, rows
    question.min_value, question.max_value = low, high
    question.component = component
    question.show_if = show_if
    try:
        _check_order(survey)
    except NotAllowed as problem:
        raise InvalidSurvey({"section_id": [problem.message]}) from problem
    return question


def delete_question(survey: Survey, question: SurveyQuestion) -> None:
    check_questions_editable(survey)
    _refuse_if_depended_on(survey, {question.code}, [question])
    survey.questions.remove(question)


def _check_order(survey: Survey) -> None:
    """Every show-if must wait for a question that comes before it."""
    seen: set[str] = set()
    for question in survey.ordered_questions:
        source = (question.show_if or {}).get("question")
        if source and source not in seen:
            raise NotAllowed(
                _(
                    "Câu %(code)s chỉ hiện theo câu %(source)s nên phải đứng sau câu đó.",
                    code=question.code,
                    source=source,
                )
            )
        seen.add(question.code)


def move_question(survey: Survey, question: SurveyQuestion, step: int) -> None:
    """One place up (−1) or down (+1) within its section."""
    check_questions_editable(survey)
    siblings = [q for q in survey.ordered_questions if q.section is question.section]
    index = siblings.index(question)
    other = index + step
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    _check_order(survey)


def move_section(survey: Survey, section: SurveySection, step: int) -> None:
    """One place up (−1) or down (+1)."""
    check_questions_editable(survey)
    sections = list(survey.sections)
    index = sections.index(section)
    other = index + step
    if not 0 <= other < len(sections):
        return
    sections[index], sections[other] = sections[other], sections[index]
    for position, each in enumerate(sections):
        each.position = position
    survey.sections.sort(key=lambda s: s.position)
    _check_order(survey)


# --- status and versions --------------------------------------------------------------------


def open_problems(survey: Survey) -> list[str]:
    """What still stops a survey from taking answers, in words for the standing office."""
    problems = []
    if survey.campaign.status != CampaignStatus.LAUNCHED:
        problems.append(_("Phong trào chưa được phát động hoặc đã kết thúc."))
    if not survey.questions:
        problems.append(_("Khảo sát chưa có câu hỏi nào."))
    if not survey_units(survey):
        problems.append(_("Khảo sát chưa có đơn vị được đánh giá."))
    return problems


def change_status(survey: Survey, new_status: str) -> None:
    """draft → open ⇄ closed; opening needs questions, units and a launched campaign."""
    check_campaign_open(survey.campaign)
    allowed = {
        SurveyStatus.DRAFT: (SurveyStatus.OPEN,),
        SurveyStatus.OPEN: (SurveyStatus.CLOSED,),
        SurveyStatus.CLOSED: (SurveyStatus.OPEN,),
    }
    if new_status not in allowed.get(survey.status, ()):
        raise NotAllowed(
            _(
                "Không thể chuyển khảo sát từ “%(old)s” sang “%(new)s”.",
                old=survey.status_label,
                new=str(SurveyStatus.LABELS.get(new_status, new_status)),
            )
        )
    if new_status == SurveyStatus.OPEN:
        problems = open_problems(survey)
        if problems:
            raise DomainError(" ".join(problems))
        newer = db.session.scalar(
            select(Survey.id).where(
                Survey.campaign_id == survey.campaign_id,
                Survey.code == survey.code,
                Survey.version > survey.version,
            )
        )
        if newer:
            raise NotAllowed(_("Đã có phiên bản mới hơn; hãy mở phiên bản đó."))
    survey.status = new_status


def new_version(survey: Survey) -> Survey:
    """A draft copy with the same code and version + 1; the old one stops taking answers."""
    check_campaign_open(survey.campaign)
    newest = db.session.scalar(
        select(func.max(Survey.version)).where(
            Survey.campaign_id == survey.campaign_id, Survey.code == survey.code
        )
    )
    if newest != survey.version:
        raise NotAllowed(_("Đã có phiên bản mới hơn của khảo sát này."))
    copy = Survey(
        campaign=survey.campaign,
        code=survey.code,
        version=survey.version + 1,
        previous=survey,
        title=survey.title,
        intro=survey.intro,
        thanks=survey.thanks,
        status=SurveyStatus.DRAFT,
        allow_tokens=survey.allow_tokens,
        allow_open=survey.allow_open,
        allow_login=survey.allow_login,
        open_in_index=survey.open_in_index,
        min_sample=survey.min_sample,
        public_code=_new_public_code(),
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
        units=list(survey.units),
    )
    components = {}
    for component in survey.components:
        components[id(component)] = twin = SurveyComponent(
            code=component.code, title=component.title, position=component.position
        )
        copy.components.append(twin)
    sections = {}
    for section in survey.sections:
        sections[id(section)] = twin = SurveySection(
            title=section.title, intro=section.intro, position=section.position
        )
        copy.sections.append(twin)
    for question in survey.questions:
        copy.questions.append(
            SurveyQuestion(
                section=sections[id(question.section)],
                component=components.get(id(question.component)),
                position=question.position,
                code=question.code,
                text=question.text,
                help=question.help,
                kind=question.kind,
                required=question.required,
                options=list(question.options),
                rows=list(question.rows),
                min_value=question.min_value,
                max_value=question.max_value,
                show_if=dict(question.show_if) if question.show_if else None,
            )
        )
    if survey.status == SurveyStatus.OPEN:
        survey.status = SurveyStatus.CLOSED
    db.session.add(copy)
    return copy


# --- a ready questionnaire ------------------------------------------------------------------

# After the SIPAS questionnaire (Chỉ số hài lòng về sự phục vụ hành chính): five components,
# each a grid of statements rated 1–5. Codes are what a criterion's "component" names.
SIPAS_COMPONENTS = [
    (
        "TC1",
        "Tiếp cận dịch vụ hành chính công",
        [
            "Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi",
            "Trang thiết bị phục vụ người dân tại Bộ phận Một cửa đầy đủ",
            "Trang thiết bị tại Bộ phận Một cửa hiện đại, dễ sử dụng",
        ],
    ),
    (
        "TC2",
        "Thủ tục hành chính",
        [
            "Thủ tục hành chính được niêm yết công khai, đầy đủ",
            "Thành phần hồ sơ phải nộp đúng quy định",
            "Phí, lệ phí phải nộp đúng quy định",
            "Thời hạn giải quyết ghi trên giấy hẹn đúng quy định",
        ],
    ),
    (
        "TC3",
        "Công chức trực tiếp giải quyết công việc",
        [
            "Công chức có thái độ giao tiếp lịch sự",
            "Công chức chú ý lắng nghe ý kiến của người dân",
            "Công chức trả lời, giải thích đầy đủ các ý kiến của người dân",
            "Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo, dễ hiểu",
            "Công chức tuân thủ đúng quy định trong giải quyết công việc",
        ],
    ),
    (
        "TC4",
        "Kết quả giải quyết thủ tục hành chính",
        [
            "Kết quả giải quyết đúng quy định",
            "Kết quả có thông tin đầy đủ, chính xác",
            "Nhận được kết quả đúng hẹn",
        ],
    ),
    (
        "TC5",
        "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
        [
            "Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị",
            "Góp ý, phản ánh, kiến nghị được tiếp nhận, xử lý tích cực",
            "Góp ý, phản ánh, kiến nghị được phản hồi kịp thời",
        ],
    ),
]
SIPAS_FIELDS = [
    "Đất đai",
    "Hộ tịch, chứng thực",
    "Đăng ký kinh doanh",
    "Xây dựng",
    "Lao động, người có công và xã hội",
    "Lĩnh vực khác",
]


def create_sipas_survey(campaign: Campaign, code: str = "SIPAS") -> Survey:
    """A draft survey after SIPAS: general questions, then one grid per component; the
    feedback component is shown only to those who gave feedback (a show-if)."""
    base, number = code, 1
    while db.session.scalar(
        select(Survey.id).where(Survey.campaign_id == campaign.id, Survey.code == code)
    ):
        number += 1
        code = f"{base}-{number}"
    survey = create_survey(
        campaign,
        title="Khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ hành chính",
        code=code,
        intro="Xin ông/bà dành ít phút cho biết mức độ hài lòng với việc giải quyết thủ tục hành chính vừa qua. Phiếu không ghi tên.",
        thanks="Cảm ơn ông/bà đã góp ý. Kết quả khảo sát được dùng để đánh giá, xếp loại thi đua các cơ quan, đơn vị.",
        allow_tokens=True,
        allow_open=True,
        open_in_index=False,
        min_sample=30,
    )
    general = survey.sections[0]
    general.title = "Thông tin chung"
    rating = SurveySection(title="Đánh giá sự phục vụ", position=1)
    closing = SurveySection(title="Góp ý thêm", position=2)
    survey.sections += [rating, closing]

    def ask(section, position, code, text, kind, **extra):
        question = SurveyQuestion(
            section=section, position=position, code=code, text=text, kind=kind, **extra
        )
        survey.questions.append(question)
        return question

    ask(
        general,
        0,
        "C1",
        "Ông/bà đến giải quyết thủ tục thuộc lĩnh vực nào?",
        "single",
        options=list(SIPAS_FIELDS),
        required=True,
    )
    ask(
        general,
        1,
        "C2",
        "Ông/bà đã đi lại bao nhiêu lần để hoàn thành thủ tục này?",
        "number",
        min_value=Decimal(1),
        max_value=Decimal(20),
        help="Tính cả lần nộp hồ sơ và lần nhận kết quả.",
    )
    ask(
        general,
        2,
        "C3",
        "Ông/bà có góp ý, phản ánh, kiến nghị gì với cơ quan không?",
        "single",
        options=["Có", "Không"],
        required=True,
    )
    for position, (component_code, title, rows) in enumerate(SIPAS_COMPONENTS):
        component = SurveyComponent(code=component_code, title=title, position=position)
        survey.components.append(component)
        extra = {}
        if component_code == "TC5":
            extra["show_if"] = {"question": "C3", "values": ["Có"]}
        ask(
            rating,
            position,
            f"C{4 + position}",
            "Mức độ hài lòng của ông/bà về " + title.lower(),
            "matrix",
            rows=list(rows),
            component=component,
            required=True,
            **extra,
        )
    ask(
        closing,
        0,
        "C9",
        "Nhìn chung, ông/bà hài lòng với sự phục vụ ở mức nào?",
        "likert",
        required=True,
    )
    ask(closing, 1, "C10", "Ông/bà có đề xuất gì để cơ quan phục vụ tốt hơn?", "long_text")
    return survey
