"""Answering a survey (public pages under /ks/): by single-use token, open link or login.

Phone-first pages; each answer is checked by htmx as it changes, and what was typed is kept
as a draft found again through a cookie. Submissions are rate-limited per address; the open
link also sets a per-browser cookie so the same browser is not counted twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from emulation.core.extensions import db, limiter
from emulation.surveys import service as domain
from emulation.surveys.answers import LIKERT_LABELS, dependents, evaluate
from emulation.surveys.models import Channel, Survey, SurveyToken
from emulation.units.models import Unit
from emulation.units.service import unit_by_code
from emulation.web.actions import act
from forms.surveys import CodeForm, field_name, read_answers

bp = Blueprint("survey_respond", __name__, url_prefix="/ks")

COOKIE_PATH = "/ks/"
DRAFT_COOKIE_DAYS = 30
GUARD_COOKIE_DAYS = 365


def _submit_limit() -> str:
    return current_app.config.get("SURVEY_RATE_LIMIT", "20 per hour")


def _token_guess_limit() -> str:
    return current_app.config.get("SURVEY_TOKEN_RATE_LIMIT", "30 per hour")


def _field_limit() -> str:
    return current_app.config.get("SURVEY_FIELD_RATE_LIMIT", "600 per hour")


def _unknown_token(response) -> bool:
    """Only failed look-ups count toward the token limit: guessing, not answering."""
    return response.status_code == 404


@dataclass
class Respondent:
    """Who is answering what, and where their form posts."""

    survey: Survey
    unit: Unit
    channel: str
    token: SurveyToken | None = None
    preview: bool = False
    url_args: dict = field(default_factory=dict)
    endpoint: str = "survey_respond.answer"
    field_endpoint: str = "survey_respond.check_link_field"

    @property
    def action(self) -> str:
        return url_for(self.endpoint, **self.url_args)

    @property
    def draft_cookie(self) -> str:
        if self.token is not None:
            return "ks_nhap_" + hashlib.sha256(self.token.code.encode()).hexdigest()[:16]
        suffix = f"_{current_user.id}" if self.channel == Channel.LOGIN else ""
        return f"ks_nhap_{self.survey.id}_{self.unit.id}{suffix}"

    @property
    def guard_cookie(self) -> str:
        return f"ks_da_gui_{self.survey.id}_{self.unit.id}"


def render_form(respondent: Respondent, raws: dict, errors: dict | None = None, status=200):
    """The whole questionnaire with what was typed, messages and the progress bar."""
    questions = respondent.survey.ordered_questions
    result = evaluate(questions, raws, require=False)
    return render_template(
        "surveys/respond/form.html",
        r=respondent,
        survey=respondent.survey,
        unit=respondent.unit,
        questions=questions,
        raws=raws,
        errors=errors or {},
        visible=result.visible,
        answered=result.answered,
        total=result.total,
        likert=LIKERT_LABELS,
        field_name=field_name,
    ), status


def problem(title: str, message: str, status: int = 200, *, code_form: bool = False):
    return render_template(
        "surveys/respond/problem.html",
        title=title,
        message=message,
        form=CodeForm() if code_form else None,
    ), status


def _closed(survey: Survey):
    reason = domain.closed_reason(survey)
    if reason:
        return problem(_("Khảo sát không nhận phiếu"), reason)
    return None


def check_field(respondent: Respondent, question_id: int, *, save: bool = True):
    """htmx: the message of one question, the progress bar and the questions hanging on it."""
    survey = respondent.survey
    questions = survey.ordered_questions
    question = next((q for q in questions if q.id == question_id), None)
    if question is None:
        abort(404)
    raws = read_answers(request.form, questions)
    result = evaluate(questions, raws)
    response = make_response(
        render_template(
            "surveys/respond/_field.html",
            r=respondent,
            survey=survey,
            question=question,
            message=result.errors.get(question.code),
            hanging=dependents(questions, question.code),
            raws=raws,
            errors={},
            visible=result.visible,
            answered=result.answered,
            total=result.total,
            likert=LIKERT_LABELS,
            field_name=field_name,
        )
    )
    if save and not respondent.preview:
        kept = act(
            lambda: domain.save_draft(survey, request.cookies.get(respondent.draft_cookie), raws)
        )
        if kept:  # a draft that could not be kept now is kept by the next answer
            _set_cookie(response, respondent.draft_cookie, kept.value, DRAFT_COOKIE_DAYS)
    return response


def _set_cookie(response, name: str, value: str, days: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=days * 86400,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )


def _submit(respondent: Respondent):
    survey, unit = respondent.survey, respondent.unit
    raws = read_answers(request.form, survey.ordered_questions)
    draft_key = request.cookies.get(respondent.draft_cookie)

    def send():
        result = domain.submit_response(
            survey,
            unit,
            raws,
            channel=respondent.channel,
            token=respondent.token,
            user=current_user if respondent.channel == Channel.LOGIN else None,
        )
        if result.complete:
            domain.drop_draft(draft_key)
            return result, None
        return result, domain.save_draft(survey, draft_key, raws)  # not sent: kept as typed

    done = act(send)
    if isinstance(done.refusal, domain.TokenProblem):
        return _token_problem(done.refusal)
    if isinstance(done.refusal, domain.AlreadyAnswered):
        return problem(_("Bạn đã trả lời khảo sát này"), done.error)
    if isinstance(done.refusal, domain.NotAllowed):
        return problem(_("Không gửi được phiếu"), done.error, 403)
    if not done:  # lost twice to concurrent writers: the answers stay on the page
        done.flash()
        return render_form(respondent, raws)
    result, key = done.value
    if not result.complete:
        flash(
            ngettext(
                "Phiếu chưa được gửi: còn %(num)s câu cần xem lại, xem thông báo bên dưới.",
                "Phiếu chưa được gửi: còn %(num)s câu cần xem lại, xem thông báo bên dưới.",
                len(result.errors),
            ),
            "error",
        )
        body, status = render_form(respondent, raws, result.errors)
        response = make_response(body, status)
        _set_cookie(response, respondent.draft_cookie, key, DRAFT_COOKIE_DAYS)
        return response
    if respondent.channel in Channel.TRUSTED:
        domain.blur_who_answered(survey)
    response = redirect(url_for("survey_respond.thanks", public_code=survey.public_code))
    response.delete_cookie(respondent.draft_cookie, path=COOKIE_PATH)
    if respondent.channel == Channel.OPEN:
        _set_cookie(response, respondent.guard_cookie, "1", GUARD_COOKIE_DAYS)
    return response


def _token_problem(error: domain.TokenProblem):
    if error.kind == "used":
        return problem(_("Mã phiếu đã được dùng"), error.message, 410, code_form=True)
    return problem(_("Mã phiếu không đúng"), error.message, 404, code_form=True)


# --- by token -------------------------------------------------------------------------------


@bp.route("/ma", methods=["GET", "POST"])
@limiter.limit(_token_guess_limit, methods=["POST"], deduct_when=_unknown_token)
def enter_code():
    """Type the code printed under the QR code."""
    form = CodeForm()
    if form.validate_on_submit():
        token = domain.token_by_code(form.code.data)
        try:
            domain.check_token(token)
        except domain.TokenProblem as error:
            form.code.errors.append(error.message)
            status = 410 if error.kind == "used" else 404
            return render_template("surveys/respond/code.html", form=form), status
        return redirect(url_for("survey_respond.by_token", code=token.code))
    return render_template("surveys/respond/code.html", form=form)


def _token_respondent(code: str) -> Respondent:
    token = domain.check_token(domain.token_by_code(code))
    survey = db.session.get(Survey, token.survey_id)
    return Respondent(
        survey=survey,
        unit=db.session.get(Unit, token.unit_id),
        channel=Channel.TOKEN,
        token=token,
        url_args={"code": token.code},
        endpoint="survey_respond.by_token",
        field_endpoint="survey_respond.check_token_field",
    )


@bp.route("/m/<code>", methods=["GET", "POST"])
@limiter.limit(_token_guess_limit, deduct_when=_unknown_token)
def by_token(code: str):
    try:
        respondent = _token_respondent(code)
    except domain.TokenProblem as error:
        return _token_problem(error)
    closed = _closed(respondent.survey)
    if closed:
        return closed
    if request.method == "POST":
        return _submit(respondent)
    raws = domain.load_draft(respondent.survey, request.cookies.get(respondent.draft_cookie))
    return render_form(respondent, raws)


@bp.post("/m/<code>/cau/<int:question_id>")
@limiter.limit(_field_limit)
@limiter.limit(_token_guess_limit, deduct_when=_unknown_token)
def check_token_field(code: str, question_id: int):
    try:
        respondent = _token_respondent(code)
    except domain.TokenProblem as error:
        return _token_problem(error)
    return check_field(respondent, question_id)


# --- by link (open, or signed-in officials) -------------------------------------------------


def _survey_or_404(public_code: str) -> Survey:
    survey = domain.survey_by_public_code(public_code)
    if survey is None or survey.status == "draft":
        abort(404)
    return survey


def _link_channel(survey: Survey) -> str | None:
    if current_user.is_authenticated and survey.allow_login:
        return Channel.LOGIN
    if survey.allow_open:
        return Channel.OPEN
    return None


@bp.get("/<public_code>")
def start(public_code: str):
    """The survey's link: straight to the form for a single unit, else pick the unit."""
    survey = _survey_or_404(public_code)
    units = domain.survey_units(survey)
    chosen = request.args.get("don_vi", "")
    if chosen:
        unit = unit_by_code(chosen)
        if unit is not None and any(u.id == unit.id for u in units):
            return redirect(
                url_for("survey_respond.answer", public_code=public_code, unit_code=unit.code)
            )
    if len(units) == 1:
        return redirect(
            url_for("survey_respond.answer", public_code=public_code, unit_code=units[0].code)
        )
    closed = _closed(survey)
    if closed:
        return closed
    return render_template("surveys/respond/pick_unit.html", survey=survey, units=units)


def _link_respondent(public_code: str, unit_code: str):
    """The respondent for a link, or the page to show instead."""
    survey = _survey_or_404(public_code)
    unit = unit_by_code(unit_code)
    if unit is None or not domain.is_about(survey, unit):
        abort(404)
    closed = _closed(survey)
    if closed:
        return closed
    channel = _link_channel(survey)
    if channel is None:
        if survey.allow_login:
            flash(_("Khảo sát này dành cho cán bộ, công chức: hãy đăng nhập để trả lời."), "info")
            return redirect(url_for("auth.login", next=request.path))
        return problem(
            _("Khảo sát trả lời bằng mã phiếu"),
            _("Khảo sát này chỉ nhận phiếu có mã in sẵn. Hãy nhập mã in trên phiếu của bạn."),
            code_form=True,
        )
    respondent = Respondent(
        survey=survey,
        unit=unit,
        channel=channel,
        url_args={"public_code": survey.public_code, "unit_code": unit.code},
    )
    if channel == Channel.LOGIN:
        try:
            domain.check_login_respondent(survey, current_user, unit)
        except domain.AlreadyAnswered as error:
            return problem(_("Bạn đã trả lời khảo sát này"), error.message)
        except domain.NotAllowed as error:
            return problem(_("Không trả lời được khảo sát này"), error.message, 403)
    elif request.cookies.get(respondent.guard_cookie):
        return problem(
            _("Bạn đã trả lời khảo sát này"),
            _(
                "Trình duyệt này đã gửi phiếu đánh giá %(unit)s trong khảo sát này. Cảm ơn bạn đã tham gia!",
                unit=unit.name,
            ),
        )
    return respondent


@bp.route("/<public_code>/<unit_code>", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def answer(public_code: str, unit_code: str):
    respondent = _link_respondent(public_code, unit_code)
    if not isinstance(respondent, Respondent):
        return respondent
    if request.method == "POST":
        return _submit(respondent)
    raws = domain.load_draft(respondent.survey, request.cookies.get(respondent.draft_cookie))
    return render_form(respondent, raws)


@bp.post("/<public_code>/<unit_code>/cau/<int:question_id>")
@limiter.limit(_field_limit)
def check_link_field(public_code: str, unit_code: str, question_id: int):
    respondent = _link_respondent(public_code, unit_code)
    if not isinstance(respondent, Respondent):
        return respondent
    return check_field(respondent, question_id)


@bp.get("/<public_code>/cam-on")
def thanks(public_code: str):
    survey = domain.survey_by_public_code(public_code)
    if survey is None:
        abort(404)
    return render_template("surveys/respond/thanks.html", survey=survey)
