"""Surveys for the standing office: the builder, preview, tokens and QR sheets, links,
results with charts, and the anonymous export. Council members may read the results."""

from __future__ import annotations

from decimal import Decimal

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from emulation.accounts.models import Role
from emulation.campaigns.service import participants
from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.core.i18n import format_plain
from emulation.surveys import builder as survey_builder
from emulation.surveys import charts as survey_charts
from emulation.surveys import export as survey_export
from emulation.surveys import service as domain
from emulation.surveys.answers import LIKERT_LABELS, evaluate
from emulation.surveys.models import (
    Channel,
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveyStatus,
    SurveyTokenBatch,
)
from emulation.surveys.qr import qr_svg
from emulation.units.models import Unit
from emulation.web.actions import Outcome, act
from emulation.web.common import get_campaign, is_htmx, role_required
from emulation.web.survey_respond import Respondent, check_field, render_form
from forms import choices
from forms.surveys import (
    ComponentForm,
    QuestionForm,
    SectionForm,
    SurveyForm,
    TokenBatchForm,
    read_answers,
)

bp = Blueprint("surveys", __name__)

READERS = (Role.ADMIN, Role.COUNCIL_MEMBER)


def _survey(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


def _part(collection, item_id: int):
    item = next((x for x in collection if x.id == item_id), None)
    if item is None:
        abort(404)
    return item


def _field_errors(form, errors: dict[str, list[str]], default: str) -> None:
    """Put domain messages on the form's fields (unknown names on `default`)."""
    for name, messages in errors.items():
        target = getattr(form, name, None) or getattr(form, default)
        target.errors = [*target.errors, *messages]


def _to_builder(survey: Survey, done: Outcome, anchor: str = ""):
    """Back to the builder (at `anchor`), the outcome flashed."""
    return done.redirect(url_for("surveys.builder", survey_id=survey.id) + anchor)


def _invalid(done: Outcome) -> bool:
    """True when the survey's fields were refused, each with its own messages."""
    return isinstance(done.refusal, survey_builder.InvalidSurvey)


# --- lists ----------------------------------------------------------------------------------


@bp.get("/surveys/")
@role_required(*READERS)
def index():
    """Every survey, newest first, grouped by campaign."""
    groups: dict = {}
    for survey in domain.all_surveys():
        groups.setdefault(survey.campaign, []).append(survey)
    return render_template("surveys/index.html", groups=groups, channel_labels=Channel.LABELS)


@bp.get("/campaigns/<slug>/surveys")
@role_required(*READERS)
def campaign_surveys(slug: str):
    campaign = get_campaign(slug)
    surveys = domain.surveys_of(campaign)
    return render_template(
        "surveys/campaign.html",
        campaign=campaign,
        surveys=surveys,
        counts={s.id: domain.response_count(s) for s in surveys},
        channel_labels=Channel.LABELS,
    )


# --- settings -------------------------------------------------------------------------------


def _settings_form(survey: Survey | None, campaign) -> SurveyForm:
    form = SurveyForm(obj=survey)
    form.units.choices = choices([(u.id, u.name) for u in participants(campaign)])
    if request.method == "GET":
        if survey is None:
            form.allow_tokens.data = True
            form.min_sample.data = Decimal(30)
        else:
            form.units.data = [u.id for u in survey.units]
            form.min_sample.data = Decimal(survey.min_sample)
    return form


def _settings_values(form: SurveyForm, campaign) -> dict:
    wanted = set(form.units.data or [])
    sample = form.min_sample.data
    return dict(
        title=form.title.data or "",
        code=form.code.data or "",
        intro=form.intro.data or "",
        thanks=form.thanks.data or "",
        allow_tokens=form.allow_tokens.data,
        allow_open=form.allow_open.data,
        allow_login=form.allow_login.data,
        open_in_index=form.open_in_index.data,
        min_sample=int(sample) if sample is not None and sample == int(sample) else None,
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        units=[u for u in participants(campaign) if u.id in wanted],
    )


@bp.route("/campaigns/<slug>/surveys/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create(slug: str):
    campaign = get_campaign(slug)
    form = _settings_form(None, campaign)
    if form.validate_on_submit():
        done = act(
            lambda: survey_builder.create_survey(campaign, **_settings_values(form, campaign)),
            success=_("Đã tạo khảo sát. Tiếp theo: thêm nhóm chỉ số và câu hỏi."),
        )
        if done:
            return _to_builder(done.value, done)
        if _invalid(done):
            _field_errors(form, done.refusal.errors, "title")
        else:
            done.flash()
    return render_template("surveys/settings.html", form=form, campaign=campaign, survey=None)


@bp.post("/campaigns/<slug>/surveys/sipas")
@role_required(Role.ADMIN)
def create_sipas(slug: str):
    """A ready questionnaire after SIPAS: five components, matrices of Likert items."""
    campaign = get_campaign(slug)
    done = act(
        lambda: survey_builder.create_sipas_survey(campaign),
        success=_("Đã tạo khảo sát theo mẫu SIPAS; hãy xem lại rồi mở nhận phiếu."),
    )
    if not done:
        return done.redirect(url_for("surveys.campaign_surveys", slug=slug))
    return _to_builder(done.value, done)


@bp.route("/surveys/<int:survey_id>/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings(survey_id: int):
    survey = _survey(survey_id)
    form = _settings_form(survey, survey.campaign)
    if form.validate_on_submit():
        done = act(
            lambda: survey_builder.save_settings(survey, **_settings_values(form, survey.campaign)),
            success=_("Đã lưu thiết lập khảo sát."),
        )
        if done:
            return _to_builder(survey, done)
        if _invalid(done):
            _field_errors(form, done.refusal.errors, "title")
        else:
            done.flash()
    return render_template(
        "surveys/settings.html", form=form, campaign=survey.campaign, survey=survey
    )


# --- the builder ----------------------------------------------------------------------------


def _builder_page(survey: Survey, *, component_form=None, section_form=None, status=200):
    return render_template(
        "surveys/builder.html",
        survey=survey,
        campaign=survey.campaign,
        editable=_editable(survey),
        answered=domain.response_count(survey),
        units=domain.survey_units(survey),
        problems=survey_builder.open_problems(survey)
        if survey.status == SurveyStatus.DRAFT
        else [],
        component_form=component_form or ComponentForm(formdata=None),
        section_form=section_form or SectionForm(formdata=None),
        channel_labels=Channel.LABELS,
        kinds=QuestionKind.LABELS,
        likert=LIKERT_LABELS,
    ), status


def _editable(survey: Survey) -> bool:
    try:
        survey_builder.check_questions_editable(survey)
    except DomainError:
        return False
    return True


@bp.get("/surveys/<int:survey_id>")
@role_required(Role.ADMIN)
def builder(survey_id: int):
    return _builder_page(_survey(survey_id))


@bp.post("/surveys/<int:survey_id>/status")
@role_required(Role.ADMIN)
def change_status(survey_id: int):
    survey = _survey(survey_id)
    new_status = request.form.get("status", "")
    messages = {
        SurveyStatus.OPEN: _("Khảo sát đã mở nhận phiếu."),
        SurveyStatus.CLOSED: _("Khảo sát đã đóng, không nhận thêm phiếu."),
    }
    done = act(
        lambda: survey_builder.change_status(survey, new_status),
        success=messages.get(new_status, _("Đã lưu.")),
    )
    return _to_builder(survey, done)


@bp.post("/surveys/<int:survey_id>/version")
@role_required(Role.ADMIN)
def new_version(survey_id: int):
    survey = _survey(survey_id)
    done = act(
        lambda: survey_builder.new_version(survey),
        success=lambda copy: _(
            "Đã tạo phiên bản %(v)s (đang soạn). Phiên bản cũ ngừng nhận phiếu; kết quả hai phiên bản được gộp theo mã nhóm chỉ số.",
            v=copy.version,
        ),
    )
    return _to_builder(done.value if done else survey, done)


@bp.post("/surveys/<int:survey_id>/components", defaults={"component_id": None})
@bp.post("/surveys/<int:survey_id>/components/<int:component_id>")
@role_required(Role.ADMIN)
def save_component(survey_id: int, component_id: int | None):
    survey = _survey(survey_id)
    component = _part(survey.components, component_id) if component_id else None
    form = ComponentForm()
    if form.validate_on_submit():
        done = act(
            lambda: survey_builder.save_component(
                survey, component, code=form.code.data, title=form.title.data
            ),
            success=_("Đã lưu nhóm chỉ số."),
        )
        if not _invalid(done):
            return _to_builder(survey, done, "#components")
        _field_errors(form, done.refusal.errors, "title")
    flash(_("Chưa lưu nhóm chỉ số: xem thông báo bên dưới."), "error")
    if component is not None:
        db.session.rollback()  # show the stored values in the list, the typed ones in the form
    return _builder_page(_survey(survey_id), component_form=form)


@bp.post("/surveys/<int:survey_id>/components/<int:component_id>/delete")
@role_required(Role.ADMIN)
def delete_component(survey_id: int, component_id: int):
    survey = _survey(survey_id)
    component = _part(survey.components, component_id)
    done = act(
        lambda: survey_builder.delete_component(survey, component),
        success=_("Đã xóa nhóm chỉ số."),
    )
    return _to_builder(survey, done, "#components")


@bp.post("/surveys/<int:survey_id>/sections", defaults={"section_id": None})
@bp.post("/surveys/<int:survey_id>/sections/<int:section_id>")
@role_required(Role.ADMIN)
def save_section(survey_id: int, section_id: int | None):
    survey = _survey(survey_id)
    section = _part(survey.sections, section_id) if section_id else None
    form = SectionForm()
    if form.validate_on_submit():
        done = act(
            lambda: survey_builder.save_section(
                survey, section, title=form.title.data, intro=form.intro.data or ""
            ),
            success=_("Đã lưu phần."),
        )
        if done:
            return _to_builder(survey, done, f"#section-{done.value.id}")
        if not _invalid(done):
            return _to_builder(survey, done)
        _field_errors(form, done.refusal.errors, "title")
    flash(_("Chưa lưu phần: xem thông báo bên dưới."), "error")
    return _builder_page(survey, section_form=form)


@bp.post("/surveys/<int:survey_id>/sections/<int:section_id>/delete")
@role_required(Role.ADMIN)
def delete_section(survey_id: int, section_id: int):
    survey = _survey(survey_id)
    section = _part(survey.sections, section_id)
    done = act(
        lambda: survey_builder.delete_section(survey, section),
        success=_("Đã xóa phần và các câu hỏi trong phần."),
    )
    return _to_builder(survey, done)


@bp.post("/surveys/<int:survey_id>/sections/<int:section_id>/move")
@role_required(Role.ADMIN)
def move_section(survey_id: int, section_id: int):
    survey = _survey(survey_id)
    section = _part(survey.sections, section_id)
    offset = -1 if request.form.get("to") == "up" else 1
    done = act(
        lambda: survey_builder.move_section(survey, section, offset),
        success=_("Đã đổi thứ tự phần."),
    )
    return _to_builder(survey, done, f"#section-{section_id}" if done else "")


# --- questions ------------------------------------------------------------------------------


def _question_form(survey: Survey, question: SurveyQuestion | None, formdata=None):
    form = QuestionForm(formdata=formdata, obj=question)
    if formdata is None:
        if question is not None:
            form.options.data = "\n".join(question.options)
            form.rows.data = "\n".join(question.rows)
            form.min_value.data = format_plain(question.min_value)
            form.max_value.data = format_plain(question.max_value)
            form.component_id.data = question.component_id or 0
            form.section_id.data = question.section_id
            form.show_if_question.data = (question.show_if or {}).get("question", "")
            form.show_if_values.data = list((question.show_if or {}).get("values", []))
        else:
            form.section_id.data = request.args.get("section", type=int) or survey.sections[-1].id
            form.kind.data = QuestionKind.LIKERT
    form.section_id.choices = choices([(s.id, s.title) for s in survey.sections])
    form.component_id.choices = choices(
        [(0, _("— Không tính vào nhóm nào —"))]
        + [(c.id, f"{c.code} – {c.title}") for c in survey.components]
    )
    sources = survey_builder.earlier_questions(survey, question, form.section_id.data)
    form.show_if_question.choices = choices(
        [("", _("— Luôn hiện —"))] + [(q.code, f"{q.code}. {q.text[:80]}") for q in sources]
    )
    source = next((q for q in sources if q.code == form.show_if_question.data), None)
    form.show_if_values.choices = choices(survey_builder.answer_values(source) if source else [])
    return form


def _question_input(form: QuestionForm) -> survey_builder.QuestionInput:
    return survey_builder.QuestionInput(
        text=form.text.data or "",
        kind=form.kind.data or "",
        code=form.code.data or "",
        help=form.help.data or "",
        required=form.required.data,
        options=form.options.data or "",
        rows=form.rows.data or "",
        min_value=form.min_value.data or "",
        max_value=form.max_value.data or "",
        component_id=form.component_id.data or None,
        show_if_question=form.show_if_question.data or "",
        show_if_values=form.show_if_values.data or [],
        section_id=form.section_id.data,
    )


@bp.route("/surveys/<int:survey_id>/questions/new", methods=["GET", "POST"])
@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def question(survey_id: int, question_id: int | None = None):
    survey = _survey(survey_id)
    question = _part(survey.questions, question_id) if question_id else None
    if not _editable(survey):
        flash(
            _("Khảo sát đã có phiếu trả lời nên không sửa được câu hỏi. Hãy tạo phiên bản mới."),
            "error",
        )
        return redirect(url_for("surveys.builder", survey_id=survey.id))
    form = _question_form(survey, question, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        done = act(
            lambda: survey_builder.save_question(survey, question, _question_input(form)),
            success=lambda saved: _("Đã lưu câu %(code)s.", code=saved.code),
        )
        if done:
            return _to_builder(survey, done, f"#q-{done.value.id}")
        if not _invalid(done):
            return _to_builder(survey, done)
        # The form again over the survey as stored, with the typed values and their messages.
        survey = _survey(survey_id)
        question = _part(survey.questions, question_id) if question_id else None
        form = _question_form(survey, question, request.form)
        form.validate()
        _field_errors(form, done.refusal.errors, "text")
    return render_template("surveys/question.html", survey=survey, question=question, form=form)


@bp.get("/surveys/<int:survey_id>/questions/fields")
@role_required(Role.ADMIN)
def question_fields(survey_id: int):
    """htmx: the fields that depend on the question's kind and on the show-if question."""
    survey = _survey(survey_id)
    question_id = request.args.get("question_id", type=int)
    question = _part(survey.questions, question_id) if question_id else None
    form = _question_form(survey, question, MultiDict(request.args))
    return render_template("surveys/_question_fields.html", survey=survey, form=form)


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/delete")
@role_required(Role.ADMIN)
def delete_question(survey_id: int, question_id: int):
    survey = _survey(survey_id)
    question = _part(survey.questions, question_id)
    done = act(
        lambda: survey_builder.delete_question(survey, question),
        success=_("Đã xóa câu %(code)s.", code=question.code),
    )
    return _to_builder(survey, done, "" if done else f"#q-{question_id}")


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/move")
@role_required(Role.ADMIN)
def move_question(survey_id: int, question_id: int):
    survey = _survey(survey_id)
    question = _part(survey.questions, question_id)
    offset = -1 if request.form.get("to") == "up" else 1
    done = act(
        lambda: survey_builder.move_question(survey, question, offset),
        success=_("Đã đổi thứ tự câu hỏi."),
    )
    return _to_builder(survey, done, f"#q-{question_id}")


# --- preview --------------------------------------------------------------------------------


def _preview_respondent(survey: Survey) -> Respondent:
    units = domain.survey_units(survey)
    unit = units[0] if units else Unit(name=_("(chưa chọn đơn vị)"), code="")
    return Respondent(
        survey=survey,
        unit=unit,
        channel=Channel.TOKEN,
        preview=True,
        url_args={"survey_id": survey.id},
        endpoint="surveys.preview",
        field_endpoint="surveys.preview_field",
    )


@bp.route("/surveys/<int:survey_id>/preview", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def preview(survey_id: int):
    """The questionnaire as a respondent sees it; a submission is checked, never stored."""
    survey = _survey(survey_id)
    respondent = _preview_respondent(survey)
    if request.method == "GET":
        return render_form(respondent, {})
    raws = read_answers(request.form, survey.ordered_questions)
    result = evaluate(survey.ordered_questions, raws)
    if result.complete:
        flash(_("Phiếu hợp lệ. Đây là bản xem trước nên phiếu không được lưu."), "success")
    else:
        flash(_("Phiếu còn câu cần sửa, xem thông báo bên dưới."), "error")
    return render_form(respondent, raws, result.errors)


@bp.post("/surveys/<int:survey_id>/preview/<int:question_id>")
@role_required(Role.ADMIN)
def preview_field(survey_id: int, question_id: int):
    return check_field(_preview_respondent(_survey(survey_id)), question_id, save=False)


# --- tokens and links -----------------------------------------------------------------------


@bp.route("/surveys/<int:survey_id>/tokens", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def tokens(survey_id: int):
    survey = _survey(survey_id)
    units = domain.survey_units(survey)
    form = TokenBatchForm()
    form.unit_id.choices = choices(
        [(0, _("— Mọi đơn vị được đánh giá —"))] + [(u.id, u.name) for u in units]
    )
    if request.method == "GET":
        form.count.data = Decimal(50)
    if form.validate_on_submit():
        count = form.count.data
        chosen = units if not form.unit_id.data else [u for u in units if u.id == form.unit_id.data]
        if count != int(count):
            form.count.errors.append(_("Số mã phải là số nguyên."))
        elif not chosen:
            form.unit_id.errors.append(_("Hãy chọn một đơn vị được đánh giá."))
        else:

            def generate():
                for unit in chosen:
                    domain.generate_tokens(survey, unit, int(count))

            done = act(
                generate,
                form=form,
                field="count",
                success=_(
                    "Đã tạo %(n)s mã cho %(u)s đơn vị. Bấm “In phiếu QR” ở đợt tương ứng để in.",
                    n=int(count) * len(chosen),
                    u=len(chosen),
                ),
            )
            if done:
                return done.redirect(url_for("surveys.tokens", survey_id=survey.id))
    return render_template(
        "surveys/tokens.html",
        survey=survey,
        form=form,
        batches=domain.token_batches(survey),
        counts=domain.token_counts(survey),
        units=units,
        batch_counts=domain.batch_counts,
    )


@bp.get("/surveys/<int:survey_id>/tokens/<int:batch_id>/print")
@role_required(Role.ADMIN)
def print_tokens(survey_id: int, batch_id: int):
    """A sheet of QR codes (unused tokens of one batch) to cut out and hand out."""
    survey = _survey(survey_id)
    batch = db.get_or_404(SurveyTokenBatch, batch_id)
    if batch.survey_id != survey.id:
        abort(404)
    cards = []
    for token in batch.tokens:
        if token.used:
            continue
        url = url_for("survey_respond.by_token", code=token.code, _external=True)
        cards.append(
            (domain.format_token(token.code), url, qr_svg(url, title=_("Mã QR phiếu khảo sát")))
        )
    return render_template(
        "surveys/print_tokens.html",
        survey=survey,
        batch=batch,
        cards=cards,
        code_url=url_for("survey_respond.enter_code", _external=True),
    )


@bp.get("/surveys/<int:survey_id>/links")
@role_required(Role.ADMIN)
def links(survey_id: int):
    """The open or sign-in links, one per unit, with QR codes to print."""
    survey = _survey(survey_id)
    rows = []
    for unit in domain.survey_units(survey):
        url = url_for(
            "survey_respond.answer",
            public_code=survey.public_code,
            unit_code=unit.code,
            _external=True,
        )
        rows.append((unit, url, qr_svg(url, title=unit.name)))
    return render_template(
        "surveys/links.html",
        survey=survey,
        rows=rows,
        start_url=url_for("survey_respond.start", public_code=survey.public_code, _external=True),
    )


# --- results --------------------------------------------------------------------------------


def _filters(survey: Survey):
    unit_id = request.args.get("unit", type=int)
    unit = None
    if unit_id:
        unit = next((u for u in domain.survey_units(survey) if u.id == unit_id), None)
        if unit is None:
            abort(404)
    return unit, request.args.get("trusted") == "1"


@bp.get("/surveys/<int:survey_id>/results")
@role_required(*READERS)
def results(survey_id: int):
    survey = _survey(survey_id)
    unit, trusted = _filters(survey)
    outcome = domain.results(survey, unit=unit, trusted_only=trusted)
    answers = {q.id: [r.answers.get(q.code) for r in outcome.responses] for q in survey.questions}
    summaries = [domain.summarize(q, answers[q.id]) for q in survey.ordered_questions]
    alts = {q.id: survey_charts.alt_text(q, answers[q.id]) for q in survey.questions}
    template = "surveys/_results.html" if is_htmx() else "surveys/results.html"
    return render_template(
        template,
        survey=survey,
        outcome=outcome,
        unit=unit,
        trusted=trusted,
        units=domain.survey_units(survey),
        summaries=summaries,
        alts=alts,
        has_chart=survey_charts.has_chart,
        channel_labels=Channel.LABELS,
        likert=LIKERT_LABELS,
    )


@bp.get("/surveys/<int:survey_id>/charts/<int:question_id>.<fmt>")
@role_required(*READERS)
def chart(survey_id: int, question_id: int, fmt: str):
    if fmt not in ("svg", "png"):
        abort(404)
    survey = _survey(survey_id)
    question = _part(survey.questions, question_id)
    unit, trusted = _filters(survey)
    responses = domain.responses_of(
        [survey], unit=unit, channels=Channel.TRUSTED if trusted else None
    )
    figure = survey_charts.question_figure(
        question, [r.answers.get(question.code) for r in responses]
    )
    if figure is None:
        abort(404)
    body = survey_charts.render(figure, fmt)
    if fmt == "png":
        name = f"bieu-do-{survey.code}-v{survey.version}-{question.code}.png"
        return Response(
            body,
            mimetype="image/png",
            headers={"Content-Disposition": f"attachment; filename={name}"},
        )
    return Response(body, mimetype="image/svg+xml")


@bp.get("/surveys/<int:survey_id>/export.<fmt>")
@role_required(Role.ADMIN)
def export(survey_id: int, fmt: str):
    if fmt not in survey_export.MIMETYPES:
        abort(404)
    survey = _survey(survey_id)
    unit, trusted = _filters(survey)
    responses = domain.responses_of(
        [survey], unit=unit, channels=Channel.TRUSTED if trusted else None
    )
    name = f"khao-sat-{survey.code}-v{survey.version}.{fmt}"
    return Response(
        survey_export.export_responses(survey, responses, fmt),
        mimetype=survey_export.MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )
