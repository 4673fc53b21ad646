"""Progress reports with evidence (báo cáo tiến độ, minh chứng)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from emulation.accounts.models import Role
from emulation.core.clock import format_date, parse_date
from emulation.core.extensions import db
from emulation.core.i18n import format_number, format_plain
from emulation.core.numbers import parse_number
from emulation.progress.evidence import (
    ACCEPT,
    KIND_BY_CONTENT_TYPE,
    can_view_evidence,
    delete_evidence,
    download_name,
    max_megabytes,
    remove_stored_file,
    store_evidence,
    stored_path,
)
from emulation.progress.models import Evidence, ProgressReport, ProgressValue, ReportStatus
from emulation.progress.service import (
    Achievement,
    ReportInvalid,
    StaleReport,
    ValueInput,
    achievement_of,
    actual_field,
    can_edit_report,
    create_report,
    latest_achievements,
    reopen_report,
    report_refusal,
    reporting_refusal,
    reports_newest_first,
    save_report,
    submit_report,
    targets_in_order,
)
from emulation.registrations.models import Registration, RegistrationStatus, RegistrationTarget
from emulation.registrations.service import can_edit, can_view
from emulation.web.actions import Outcome, act
from emulation.web.common import is_htmx, role_required
from forms.progress import EvidenceForm, ReportForm

bp = Blueprint("progress", __name__)


# --- formatting for these templates ----------------------------------------------------------


def format_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{format_number(max(size / 1024, 1), 0)} KB"
    return f"{format_number(size / 1024 / 1024, 1)} MB"


@bp.context_processor
def _helpers():
    return {
        "fmt_size": format_size,
        "evidence_accept": ACCEPT,
        "evidence_max_mb": max_megabytes(),
    }


# --- helpers --------------------------------------------------------------------------------


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _viewable_registration(registration_id: int) -> Registration:
    registration = db.get_or_404(Registration, registration_id)
    if not can_view(current_user, registration):
        abort(403)
    return registration


def _viewable_report(report_id: int) -> ProgressReport:
    report = db.get_or_404(ProgressReport, report_id)
    if not can_view(current_user, report.registration):
        abort(403)
    return report


@dataclass
class Row:
    """One target on the report page: its registration data, input, stored value and files."""

    target: RegistrationTarget
    achievement: Achievement
    entry: object | None = None  # the TargetValueForm entry when the page is editable
    value: ProgressValue | None = None
    evidence: list[Evidence] = field(default_factory=list)
    previous: Achievement | None = None
    # What the person typed ({"actual": …, "note": …}, None where it matched) when a save
    # was refused, shown beside the stored value.
    mine: dict | None = None


def _fill_rows(form: ReportForm, targets: list[RegistrationTarget], report=None) -> None:
    """Put one entry per target into a form opened fresh (GET, or after a refused save)."""
    stored = {v.target_id: v for v in report.values} if report else {}
    while form.rows.entries:
        form.rows.pop_entry()
    for target in targets:
        value = stored.get(target.id)
        form.rows.append_entry(
            {
                "target_id": target.id,
                "actual": format_plain(value.actual) if value else "",
                "note": value.note if value else "",
            }
        )


def _entries_by_target(form: ReportForm) -> dict[int, object]:
    entries = {}
    for entry in form.rows.entries:
        target_id = _int(entry.target_id.data)
        if target_id is not None:
            entries.setdefault(target_id, entry)
    return entries


def _posted_values(form: ReportForm, targets: list[RegistrationTarget]) -> dict[int, ValueInput]:
    entries = _entries_by_target(form)
    return {
        t.id: ValueInput(parse_number(entries[t.id].actual.data), entries[t.id].note.data or "")
        for t in targets
        if t.id in entries
    }


def _rows(
    registration: Registration,
    targets: list[RegistrationTarget],
    report: ProgressReport | None,
    form: ReportForm | None,
    mine: dict | None = None,
) -> list[Row]:
    stored = {v.target_id: v for v in report.values} if report else {}
    files: dict[int | None, list[Evidence]] = {}
    for evidence in report.evidence if report else []:
        files.setdefault(evidence.target_id, []).append(evidence)
    entries = _entries_by_target(form) if form else {}
    previous = latest_achievements(registration) if form else {}
    rows = []
    for target in targets:
        value = stored.get(target.id)
        entry = entries.get(target.id)
        if form is not None and entry is None:  # a posted form that lacked this row
            entry = form.rows.append_entry({"target_id": target.id})
        rows.append(
            Row(
                target=target,
                achievement=achievement_of(
                    target, value.actual if value else None, period_label=""
                ),
                entry=entry,
                value=value,
                evidence=files.get(target.id, []),
                previous=previous.get(target.id),
                mine=(mine or {}).get(target.id),
            )
        )
    return rows


def _render_report(
    registration: Registration,
    report: ProgressReport | None,
    form: ReportForm | None,
    *,
    problem: str | None = None,
    mine: dict | None = None,
):
    targets = targets_in_order(registration)
    editable = form is not None
    refusal = None
    if (
        report is not None
        and report.status == ReportStatus.DRAFT
        and not editable
        and can_edit(current_user, registration)
    ):
        refusal = report_refusal(report, current_user)
    return render_template(
        "progress/report.html",
        registration=registration,
        report=report,
        form=form,
        rows=_rows(registration, targets, report, form, mine),
        report_files=[e for e in report.evidence if e.target_id is None] if report else [],
        editable=editable,
        refusal=refusal,
        problem=problem,
        mine=mine or {},
        evidence_form=EvidenceForm(formdata=None),
    )


def _typed_differences(form: ReportForm, report: ProgressReport) -> dict:
    """What the person typed that differs from what is stored now, so a refused save loses
    nothing: shown next to each field."""
    mine: dict = {}
    for name, stored in (
        ("period_label", report.period_label),
        ("period_end", format_date(report.period_end)),
        ("note", report.note),
    ):
        typed = (getattr(form, name).data or "").strip()
        if typed != (stored or "").strip():
            mine[name] = typed
    stored_values = {v.target_id: v for v in report.values}
    for target_id, entry in _entries_by_target(form).items():
        value = stored_values.get(target_id)
        typed_actual = (entry.actual.data or "").strip()
        typed_note = (entry.note.data or "").strip()
        try:
            same_actual = parse_number(typed_actual) == (value.actual if value else None)
        except ValueError:
            same_actual = False
        same_note = typed_note == ((value.note if value else "") or "").strip()
        if not (same_actual and same_note):
            mine[target_id] = {
                "actual": None if same_actual else typed_actual,
                "note": None if same_note else typed_note,
            }
    return mine


def _fresh_form(report: ProgressReport) -> ReportForm:
    form = ReportForm(
        formdata=None,
        version=report.version,
        period_label=report.period_label,
        period_end=format_date(report.period_end),
        note=report.note,
    )
    _fill_rows(form, targets_in_order(report.registration), report)
    return form


def _show_report(report: ProgressReport, **kwargs):
    """The report as it is now: the form when this person may edit it, else read-only."""
    editable = can_edit_report(report, current_user)
    return _render_report(
        report.registration, report, _fresh_form(report) if editable else None, **kwargs
    )


# --- a registration's progress ----------------------------------------------------------------


@bp.get("/registrations/<int:registration_id>/progress")
@login_required
def index(registration_id: int):
    registration = _viewable_registration(registration_id)
    targets = targets_in_order(registration)
    achievements = latest_achievements(registration)
    refusal = (
        reporting_refusal(registration, current_user)
        if can_edit(current_user, registration)
        else None
    )
    return render_template(
        "progress/index.html",
        registration=registration,
        targets=targets,
        achievements=achievements,
        overdue=[t for t in targets if achievements[t.id].overdue],
        reports=reports_newest_first(registration),
        approved=registration.status == RegistrationStatus.APPROVED,
        can_report=can_edit(current_user, registration) and refusal is None,
        refusal=refusal,
    )


@bp.route("/registrations/<int:registration_id>/progress/new", methods=["GET", "POST"])
@login_required
def create(registration_id: int):
    registration = _viewable_registration(registration_id)
    if not can_edit(current_user, registration):
        abort(403)
    refusal = reporting_refusal(registration, current_user)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for(".index", registration_id=registration.id))
    targets = targets_in_order(registration)
    form = ReportForm()
    if request.method == "GET":
        _fill_rows(form, targets)
    problem = None
    if form.validate_on_submit():
        done = act(
            lambda: create_report(
                registration,
                current_user,
                period_label=form.period_label.data,
                period_end=parse_date(form.period_end.data),
                note=form.note.data or "",
                values=_posted_values(form, targets),
            ),
            success=lambda made: _(
                "Đã lưu nháp báo cáo %(period)s. Hãy đính kèm minh chứng rồi gửi báo cáo.",
                period=made.period_label,
            ),
        )
        if done:
            return done.redirect(url_for(".report", report_id=done.value.id))
        if not isinstance(done.refusal, ReportInvalid):
            return done.redirect(url_for(".index", registration_id=registration.id))
        _attach_errors(form, done.refusal.errors)
        problem = done.error
    elif request.method == "POST":
        problem = _("Báo cáo chưa được lưu; hãy sửa các ô được đánh dấu.")
    return _render_report(registration, None, form, problem=problem)


def _attach_errors(form: ReportForm, errors: dict[str, str]) -> None:
    entries = _entries_by_target(form)
    for name, message in errors.items():
        if name in ("period_label", "period_end", "note"):
            getattr(form, name).errors = [*getattr(form, name).errors, message]
            continue
        for target_id, entry in entries.items():
            if actual_field(target_id) == name:
                entry.actual.errors = [*entry.actual.errors, message]


# --- one report -------------------------------------------------------------------------------


@bp.route("/progress/<int:report_id>", methods=["GET", "POST"])
@login_required
def report(report_id: int):
    report = _viewable_report(report_id)
    if request.method == "POST":
        return _save(report, submit=False)
    return _show_report(report)


@bp.post("/progress/<int:report_id>/submit")
@login_required
def submit(report_id: int):
    """The report form's "save and submit" button posts here: save, then submit."""
    return _save(_viewable_report(report_id), submit=True)


def _save(report: ProgressReport, *, submit: bool):
    registration = report.registration
    if not can_edit(current_user, registration):
        abort(403)
    report_id = report.id
    form = ReportForm()
    if not form.validate_on_submit():
        if not can_edit_report(report, current_user):
            return _refused(report_id, form, report_refusal(report, current_user))
        return _render_report(
            registration,
            report,
            form,
            problem=_("Báo cáo chưa được lưu; hãy sửa các ô được đánh dấu."),
        )
    targets = targets_in_order(registration)
    # A second run, after losing a race, meets the version check and is refused as stale.
    saved = act(
        lambda: save_report(
            report,
            current_user,
            version=_int(form.version.data) or 0,
            period_label=form.period_label.data,
            period_end=parse_date(form.period_end.data),
            note=form.note.data or "",
            values=_posted_values(form, targets),
        ),
        success=lambda _value: _("Đã lưu nháp báo cáo %(period)s.", period=report.period_label),
    )
    if isinstance(saved.refusal, ReportInvalid):
        _attach_errors(form, saved.refusal.errors)
        return _render_report(registration, report, form, problem=saved.error)
    if not saved:
        return _refused(report_id, form, saved.error)
    back = url_for(".report", report_id=report_id)
    if not submit:
        return saved.redirect(back)

    saved_version = report.version

    def send():
        # Send only what this person saved: a change made since is theirs to see first.
        if report.version != saved_version:
            raise StaleReport()
        submit_report(report, current_user)

    sent = act(
        send, success=lambda _value: _("Đã gửi báo cáo %(period)s.", period=report.period_label)
    )
    if not sent:  # the save stands; say why it was not sent
        flash(_("Đã lưu nháp nhưng chưa gửi được: %(why)s", why=sent.error), "error")
        return redirect(back)
    return sent.redirect(back)


def _refused(report_id: int, form: ReportForm, message: str | None):
    """A save that could not go through: show the report as stored now, with the message and
    what was typed next to each field, so nothing is lost without the person seeing it."""
    db.session.expire_all()
    report = db.session.get(ProgressReport, report_id)
    return _show_report(report, problem=message, mine=_typed_differences(form, report))


@bp.post("/progress/<int:report_id>/reopen")
@role_required(Role.ADMIN)
def reopen(report_id: int):
    report = db.get_or_404(ProgressReport, report_id)
    done = act(lambda: reopen_report(report, current_user))
    if done:  # told as information, not as a success: the unit has work to do again
        flash(_("Đã mở lại báo cáo %(period)s để đơn vị sửa.", period=report.period_label), "info")
    return done.redirect(url_for(".report", report_id=report_id))


# --- evidence ---------------------------------------------------------------------------------


def _evidence_panel(report: ProgressReport, target_id: int | None, message=None, category=None):
    """The evidence list (and upload form) of one target, or of the report as a whole."""
    target = next((t for t in report.registration.targets if t.id == target_id), None)
    return render_template(
        "progress/_evidence.html",
        report=report,
        target=target,
        files=[e for e in report.evidence if e.target_id == (target.id if target else None)],
        editable=can_edit_report(report, current_user),
        evidence_form=EvidenceForm(formdata=None),
        message=message,
        category=category,
    )


def _after_evidence_change(report_id: int, target_id: int | None, message: str, category: str):
    if is_htmx():
        report = db.session.get(ProgressReport, report_id)
        return _evidence_panel(report, target_id, message, category)
    flash(message, category)
    anchor = f"target-{target_id}" if target_id else "report-evidence"
    return redirect(url_for(".report", report_id=report_id, _anchor=anchor))


@bp.post("/progress/<int:report_id>/evidence")
@login_required
def upload(report_id: int):
    report = _viewable_report(report_id)
    if not can_edit(current_user, report.registration):
        abort(403)
    form = EvidenceForm()
    target_id = _int(form.target_id.data)
    if not form.validate_on_submit():
        errors = form.file.errors or [_("Không nhận được tệp; hãy thử lại.")]
        return _after_evidence_change(report_id, target_id, errors[0], "error")
    done = _attach(report, form.file.data, target_id)
    if not done:
        return _after_evidence_change(report_id, target_id, done.error, "error")
    return _after_evidence_change(
        report_id, target_id, _("Đã đính kèm %(name)s.", name=done.value), "success"
    )


def _attach(report: ProgressReport, upload, target_id: int | None) -> Outcome:
    """`store_evidence` through `act`. The file is written before the commit, so each copy
    the database did not keep (a refusal, a run lost to a concurrent writer, an error) is
    removed from disk."""
    written: list[str] = []

    def store():
        upload.stream.seek(0)  # a second run reads the file again
        evidence = store_evidence(
            report,
            current_user,
            filename=upload.filename,
            stream=upload.stream,
            target_id=target_id,
        )
        written.append(evidence.stored_name)
        return evidence.original_name

    try:
        done = act(store)
    except Exception:
        for stored_name in written:
            remove_stored_file(stored_name)
        raise
    for stored_name in written[:-1] if done else written:
        remove_stored_file(stored_name)
    return done


@bp.post("/evidence/<int:evidence_id>/delete")
@login_required
def delete(evidence_id: int):
    evidence = db.get_or_404(Evidence, evidence_id)
    report = evidence.report
    if not can_edit(current_user, report.registration):
        abort(403)
    report_id, target_id, name = report.id, evidence.target_id, evidence.original_name
    done = act(lambda: delete_evidence(evidence, current_user))
    if not done:
        return _after_evidence_change(report_id, target_id, done.error, "error")
    remove_stored_file(done.value)  # only once the row is gone for good
    return _after_evidence_change(
        report_id, target_id, _("Đã xóa tệp %(name)s.", name=name), "info"
    )


@bp.get("/evidence/<int:evidence_id>")
@login_required
def download(evidence_id: int):
    evidence = db.get_or_404(Evidence, evidence_id)
    if not can_view_evidence(current_user, evidence):
        abort(403)
    try:
        path = stored_path(evidence)
    except FileNotFoundError:
        abort(404)
    if not os.path.isfile(path):
        abort(404)
    kind = KIND_BY_CONTENT_TYPE.get(evidence.content_type)
    inline = kind is not None and kind.inline and not request.args.get("download")
    response = send_file(
        path,
        mimetype=evidence.content_type,
        as_attachment=not inline,
        download_name=download_name(evidence),
        etag=evidence.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
