"""Progress reports (báo cáo tiến độ): actual values per registered target, and achievement.

A unit reports on an approved registration while an implementation or mid-term review window
is open. A report is a draft until the unit submits it; then it is read-only, unless the
standing office reopens it. Achievement against a target counts only submitted reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from emulation.accounts.models import User
from emulation.campaigns.models import CampaignStatus, PhaseKind
from emulation.campaigns.service import phase_is_open, require_phase, windows_text
from emulation.core.clock import format_date, local_today, utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.text import nfc
from emulation.progress.models import ProgressReport, ProgressValue, ReportStatus
from emulation.registrations.models import Registration, RegistrationStatus, RegistrationTarget
from emulation.registrations.service import can_edit, quantitative_criteria

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")
REPORTING_PHASES = (PhaseKind.IMPLEMENTATION, PhaseKind.MIDTERM)


class StaleReport(DomainError):
    """Someone saved the report after this form was opened."""

    def __init__(self):
        super().__init__(
            _(
                "Báo cáo vừa được người khác lưu. Trang đã hiện số liệu mới nhất; giá trị bạn vừa nhập được ghi bên cạnh từng ô. Hãy xem lại rồi lưu lần nữa."
            )
        )


class ReportInvalid(DomainError):
    """Some fields are wrong; `errors` maps a field name to its message. Nothing was stored."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Báo cáo chưa được lưu; hãy sửa các ô được đánh dấu."))
        self.errors = errors


# --- achievement ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Achievement:
    """How far a target is reached: percent may exceed 100; None when it cannot be computed."""

    percent: Decimal | None
    overdue: bool
    actual: Decimal | None
    period_label: str = ""

    @property
    def bar(self) -> Decimal:
        """The percent for a progress bar: between 0 and 100."""
        if self.percent is None:
            return Decimal(0)
        return min(max(self.percent, Decimal(0)), HUNDRED)

    @property
    def reached(self) -> bool:
        return self.percent is not None and self.percent >= HUNDRED


def direction_of(target: RegistrationTarget) -> str:
    """ "up" when more is better (the default), "down" when less is better."""
    return (target.criterion.params or {}).get("direction", "up")


def achievement_percent(
    actual: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None = None,
    direction: str = "up",
) -> Decimal | None:
    """Percent of the target reached, to one decimal.

    With a baseline B: (A − B) / (T − B), which also serves "down" targets since then T < B.
    Without one: A / T when more is better, T / A when less is better. A "down" target with
    an actual of zero (no accidents, no complaints) counts as reached: the ratio has no value.
    """
    if actual is None or target is None:
        return None
    if baseline is not None and target != baseline:
        ratio = (actual - baseline) / (target - baseline)
    elif direction == "down":
        if actual == 0:
            return HUNDRED.quantize(ONE_DECIMAL) if target >= 0 else None
        ratio = target / actual
    else:
        if target == 0:
            return None
        ratio = actual / target
    return (ratio * HUNDRED).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def achievement_of(
    target: RegistrationTarget,
    actual: Decimal | None,
    today: date | None = None,
    period_label: str = "",
) -> Achievement:
    """The achievement of one actual value against a registered target, and whether it is late."""
    percent = achievement_percent(actual, target.target, target.baseline, direction_of(target))
    today = today or local_today()
    late = target.deadline is not None and target.deadline < today
    overdue = late and (percent is None or percent < HUNDRED)
    return Achievement(percent=percent, overdue=overdue, actual=actual, period_label=period_label)


def latest_achievements(
    registration: Registration, today: date | None = None
) -> dict[int, Achievement]:
    """Per target id: the achievement from the latest submitted report that has a value for it.

    Targets nobody has reported on yet are included with no percent; they are overdue once
    their deadline has passed.
    """
    rows = db.session.execute(
        select(ProgressValue.target_id, ProgressValue.actual, ProgressReport.period_label)
        .join(ProgressReport, ProgressValue.report_id == ProgressReport.id)
        .where(
            ProgressReport.registration_id == registration.id,
            ProgressReport.status == ReportStatus.SUBMITTED,
            ProgressValue.actual.is_not(None),
        )
        .order_by(ProgressReport.period_end.desc(), ProgressReport.id.desc())
    ).all()
    latest: dict[int, tuple[Decimal, str]] = {}
    for target_id, actual, label in rows:
        latest.setdefault(target_id, (actual, label))
    today = today or local_today()
    result = {}
    for target in registration.targets:
        actual, label = latest.get(target.id, (None, ""))
        result[target.id] = achievement_of(target, actual, today, label)
    return result


# --- who may do what, and when --------------------------------------------------------------


def targets_in_order(registration: Registration) -> list[RegistrationTarget]:
    """The registration's targets in the order of the criteria table."""
    order = {c.id: i for i, c in enumerate(quantitative_criteria(registration.campaign))}
    return sorted(registration.targets, key=lambda t: (order.get(t.criterion_id, len(order)), t.id))


def reports_newest_first(registration: Registration) -> list[ProgressReport]:
    return sorted(registration.reports, key=lambda r: (r.period_end, r.id), reverse=True)


def require_reporting_window(registration: Registration, day: date | None = None) -> None:
    """Refuse, with the window dates, reporting outside implementation and mid-term review."""
    campaign = registration.campaign
    if campaign.status != CampaignStatus.LAUNCHED:
        require_phase(campaign, PhaseKind.IMPLEMENTATION, day)  # explains draft / closed
    if any(phase_is_open(campaign, kind, day) for kind in REPORTING_PHASES):
        return
    if not any(p.kind == PhaseKind.MIDTERM for p in campaign.phases):
        require_phase(campaign, PhaseKind.IMPLEMENTATION, day)
    raise NotAllowed(
        _(
            "Ngoài thời gian báo cáo tiến độ: tổ chức thực hiện (%(implementation)s), sơ kết (%(midterm)s).",
            implementation=windows_text(campaign, PhaseKind.IMPLEMENTATION),
            midterm=windows_text(campaign, PhaseKind.MIDTERM),
        )
    )


def check_can_report(registration: Registration, user: User, day: date | None = None) -> None:
    """Raise NotAllowed unless this user may write progress reports for the registration now."""
    if not can_edit(user, registration):
        raise NotAllowed(_("Chỉ cán bộ của đơn vị mới được báo cáo tiến độ."))
    if registration.status != RegistrationStatus.APPROVED:
        raise NotAllowed(
            _("Bản đăng ký chưa được duyệt; chỉ báo cáo tiến độ khi bản đăng ký đã được duyệt.")
        )
    require_reporting_window(registration, day)


def reporting_refusal(registration: Registration, user: User) -> str | None:
    """Why this user cannot write a report now, in words; None when they can."""
    try:
        check_can_report(registration, user)
    except NotAllowed as refusal:
        return refusal.message
    return None


def check_report_editable(report: ProgressReport, user: User) -> None:
    check_can_report(report.registration, user)
    if report.status != ReportStatus.DRAFT:
        raise NotAllowed(_("Báo cáo đã gửi nên không sửa được nữa."))


def report_refusal(report: ProgressReport, user: User) -> str | None:
    """Why this user cannot edit the report now, in words; None when they can."""
    try:
        check_report_editable(report, user)
    except NotAllowed as refusal:
        return refusal.message
    return None


def can_edit_report(report: ProgressReport, user: User) -> bool:
    return report_refusal(report, user) is None


# --- writing --------------------------------------------------------------------------------


@dataclass
class ValueInput:
    actual: Decimal | None = None
    note: str = ""


def actual_field(target_id: int) -> str:
    """The name under which a target's actual value is reported in `ReportInvalid.errors`."""
    return f"actual-{target_id}"


def value_problem(target: RegistrationTarget, actual: Decimal | None) -> str | None:
    """What is wrong with an actual value for this target, if anything."""
    if actual is None:
        return None
    negative_scale = any(v is not None and v < 0 for v in (target.baseline, target.target))
    if actual < 0 and not negative_scale:
        return _("Số thực hiện không được âm.")
    return None


def _validate(
    registration: Registration,
    report: ProgressReport | None,
    period_label: str,
    period_end: date,
    values: dict[int, ValueInput],
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not period_label:
        errors["period_label"] = _("Cần nhập kỳ báo cáo.")
    elif any(
        other is not report and nfc(other.period_label).lower() == period_label.lower()
        for other in registration.reports
    ):
        errors["period_label"] = _("Đã có báo cáo cho kỳ “%(period)s”.", period=period_label)
    start = registration.campaign.start_date
    if period_end < start:
        errors["period_end"] = _(
            "Ngày cuối kỳ không được trước ngày bắt đầu phong trào (%(d)s).", d=format_date(start)
        )
    targets = {t.id: t for t in registration.targets}
    for target_id, value in values.items():
        target = targets.get(target_id)
        problem = value_problem(target, value.actual) if target else None
        if problem:
            errors[actual_field(target_id)] = problem
    return errors


def _apply(report: ProgressReport, values: dict[int, ValueInput]) -> None:
    targets = {t.id for t in report.registration.targets}
    stored = {v.target_id: v for v in report.values}
    for target_id, value in values.items():
        if target_id not in targets:
            continue  # a forged or stale row for a target that is not in this registration
        row = stored.get(target_id)
        if row is None:
            row = ProgressValue(target_id=target_id)
            report.values.append(row)
        row.actual, row.note = value.actual, nfc(value.note)


def create_report(
    registration: Registration,
    user: User,
    *,
    period_label: str,
    period_end: date,
    note: str = "",
    values: dict[int, ValueInput] | None = None,
) -> ProgressReport:
    """A new draft report; nothing is added when a field is wrong (ReportInvalid)."""
    check_can_report(registration, user)
    period_label, values = nfc(period_label), values or {}
    errors = _validate(registration, None, period_label, period_end, values)
    if errors:
        raise ReportInvalid(errors)
    report = ProgressReport(
        registration=registration,
        period_label=period_label,
        period_end=period_end,
        note=nfc(note),
        status=ReportStatus.DRAFT,
        created_by_id=user.id,
    )
    db.session.add(report)
    _apply(report, values)
    return report


def save_report(
    report: ProgressReport,
    user: User,
    *,
    version: int,
    period_label: str,
    period_end: date,
    note: str = "",
    values: dict[int, ValueInput],
) -> None:
    """Store the draft. `version` is the one the form was opened with; an older one is refused.

    Two saves racing past this check are still told apart at commit by the version column
    (SQLAlchemy raises StaleDataError), which the caller reports as StaleReport.
    """
    check_report_editable(report, user)
    if version != report.version:
        raise StaleReport()
    period_label = nfc(period_label)
    errors = _validate(report.registration, report, period_label, period_end, values)
    if errors:
        raise ReportInvalid(errors)
    report.period_label, report.period_end, report.note = period_label, period_end, nfc(note)
    _apply(report, values)
    # Values live in another table; moving the version by hand makes every save an UPDATE
    # of the report row, checked against the version this session read.
    report.version = report.version + 1


def missing_evidence(report: ProgressReport) -> list[RegistrationTarget]:
    """Targets whose criterion demands evidence, reported here, with no file attached to them."""
    reported = {v.target_id for v in report.values if v.actual is not None}
    proven = {e.target_id for e in report.evidence}
    return [
        t
        for t in targets_in_order(report.registration)
        if t.criterion.evidence_required and t.id in reported and t.id not in proven
    ]


def submit_report(report: ProgressReport, user: User) -> None:
    """Send the report: from now on it is read-only and counts toward achievement."""
    check_report_editable(report, user)
    if not any(v.actual is not None for v in report.values):
        raise DomainError(_("Báo cáo chưa có số thực hiện nào; hãy nhập ít nhất một chỉ tiêu."))
    lacking = missing_evidence(report)
    if lacking:
        raise DomainError(
            _(
                "Cần đính kèm minh chứng cho chỉ tiêu: %(codes)s.",
                codes=", ".join(t.criterion.code for t in lacking),
            )
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = utcnow()
    report.version = report.version + 1


def reopen_report(report: ProgressReport, user: User) -> None:
    """The standing office sends a submitted report back to the unit as a draft."""
    if not (user.is_authenticated and user.is_admin):
        raise NotAllowed(_("Chỉ Thường trực Hội đồng mới được mở lại báo cáo đã gửi."))
    if report.status != ReportStatus.SUBMITTED:
        raise NotAllowed(_("Báo cáo chưa được gửi."))
    report.status = ReportStatus.DRAFT
    report.submitted_at = None
    report.version = report.version + 1
