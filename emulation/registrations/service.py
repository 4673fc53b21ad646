"""Registration (đăng ký thi đua): draft → submitted → approved or returned, with history.

A unit officer writes the unit's targets during the registration window; the cluster leader
(or deputy) of the unit's cluster that year, or the standing office, approves or returns it
with a reason. An approved registration is locked; changing it takes an amendment request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from emulation.accounts.models import User
from emulation.accounts.service import leads_cluster
from emulation.campaigns.models import Campaign, CampaignForm, CampaignStatus, PhaseKind
from emulation.campaigns.service import (
    campaign_cluster_of,
    campaigns_of_unit,
    participants,
    participates,
    phase_is_open,
    require_phase,
)
from emulation.core.clock import utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.text import nfc
from emulation.criteria.models import Criterion
from emulation.criteria.service import quantitative_leaves
from emulation.registrations.models import (
    AmendmentRequest,
    AmendmentStatus,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    RegistrationTarget,
)
from emulation.units.models import Unit

# Titles a unit may aim at until the rulebook takes over (domain.md, "Commendation").
TITLES = {
    CampaignForm.REGULAR: [
        "Cờ thi đua của UBND tỉnh",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "Tập thể lao động xuất sắc",
        "Tập thể lao động tiên tiến",
        "Giấy khen",
    ],
    CampaignForm.THEMED: [
        "Bằng khen của Chủ tịch UBND tỉnh (theo chuyên đề)",
        "Giấy khen (theo chuyên đề)",
    ],
}

EVENT_LABELS = {
    "created": _l("Tạo bản đăng ký"),
    "saved": _l("Lưu nháp"),
    "submitted": _l("Gửi duyệt"),
    "approved": _l("Duyệt"),
    "returned": _l("Trả lại"),
    "amendment_requested": _l("Đề nghị điều chỉnh"),
    "amendment_approved": _l("Chấp thuận điều chỉnh"),
    "amendment_rejected": _l("Không chấp thuận điều chỉnh"),
}


class StaleEdit(DomainError):
    """Someone saved the registration after this form was opened."""


@dataclass
class TargetInput:
    baseline: Decimal | None = None
    target: Decimal | None = None
    unit_of_measure: str = ""
    deadline: date | None = None
    note: str = ""


@dataclass
class SaveResult:
    warnings: dict[int, str] = field(default_factory=dict)  # criterion id → message


# --- who may do what ------------------------------------------------------------------------


def can_edit(user: User, registration: Registration) -> bool:
    """Only the unit's own officers write its registration."""
    return bool(
        user.is_authenticated and user.is_unit_officer and user.unit_id == registration.unit_id
    )


def can_review(user: User, registration: Registration) -> bool:
    """The standing office, or the officers of the unit leading (or deputising) its cluster."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    cluster = campaign_cluster_of(registration.campaign, registration.unit)
    return (
        cluster is not None
        and leads_cluster(user, cluster)
        and user.unit_id != registration.unit_id
    )


def can_view(user: User, registration: Registration) -> bool:
    return bool(
        user.is_authenticated
        and (
            user.is_admin
            or user.is_council_member
            or can_edit(user, registration)
            or can_review(user, registration)
        )
    )


# --- reading --------------------------------------------------------------------------------


def registration_of(campaign: Campaign, unit: Unit) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.campaign_id == campaign.id, Registration.unit_id == unit.id
        )
    )


def quantitative_criteria(campaign: Campaign) -> list[Criterion]:
    return quantitative_leaves(getattr(campaign, "criteria_set", None))


def amendment_granted(registration: Registration) -> bool:
    """An approved amendment reopens the registration outside the registration window."""
    if registration.status not in RegistrationStatus.EDITABLE or not registration.amendments:
        return False
    return registration.amendments[-1].status == AmendmentStatus.APPROVED


def _log(registration: Registration, user: User | None, action: str, reason: str = "") -> None:
    registration.events.append(
        RegistrationEvent(user_id=user.id if user else None, action=action, reason=reason)
    )


def start_registration(campaign: Campaign, unit: Unit, user: User) -> Registration:
    """The unit's registration, created as a draft on first use."""
    existing = registration_of(campaign, unit)
    if existing is not None:
        return existing
    if not participates(campaign, unit):
        raise NotAllowed(_("%(unit)s không tham gia phong trào này.", unit=unit.name))
    require_phase(campaign, PhaseKind.REGISTRATION)
    registration = Registration(campaign=campaign, unit=unit, status=RegistrationStatus.DRAFT)
    db.session.add(registration)
    _log(registration, user, "created")
    return registration


def _check_editable(registration: Registration, user: User) -> None:
    if not can_edit(user, registration):
        raise NotAllowed(_("Chỉ cán bộ của đơn vị mới được sửa bản đăng ký này."))
    if registration.campaign.status != CampaignStatus.LAUNCHED:
        require_phase(registration.campaign, PhaseKind.REGISTRATION)  # explains draft/closed
    if registration.status == RegistrationStatus.APPROVED:
        raise NotAllowed(
            _("Bản đăng ký đã được duyệt và khóa. Muốn thay đổi, hãy gửi đề nghị điều chỉnh.")
        )
    if registration.status == RegistrationStatus.SUBMITTED:
        raise NotAllowed(_("Bản đăng ký đang chờ duyệt; chưa thể sửa."))
    if not amendment_granted(registration):
        require_phase(registration.campaign, PhaseKind.REGISTRATION)


def wrong_way_warning(criterion: Criterion, value: TargetInput) -> str | None:
    """A target that goes against the baseline in the criterion's good direction."""
    if value.baseline is None or value.target is None:
        return None
    direction = (criterion.params or {}).get("direction", "up")
    if direction == "up" and value.target < value.baseline:
        return _("Chỉ tiêu thấp hơn mức hiện tại, trong khi tiêu chí này càng cao càng tốt.")
    if direction == "down" and value.target > value.baseline:
        return _("Chỉ tiêu cao hơn mức hiện tại, trong khi tiêu chí này càng thấp càng tốt.")
    return None


def save_draft(
    registration: Registration,
    user: User,
    *,
    version: int,
    commitment: str,
    titles: list[str],
    targets: dict[int, TargetInput],
) -> SaveResult:
    """Store the form as a draft. `version` is the one the form was opened with."""
    _check_editable(registration, user)
    if version != registration.version:
        raise StaleEdit(
            _(
                "Bản đăng ký vừa được người khác lưu. Trang đã hiện nội dung mới nhất; hãy xem lại rồi lưu lần nữa."
            )
        )
    allowed_titles = TITLES.get(registration.campaign.form, [])
    unknown = [t for t in titles if t not in allowed_titles]
    if unknown:
        raise DomainError(_("Danh hiệu không hợp lệ: %(t)s.", t=", ".join(unknown)), "titles")
    result = SaveResult()
    criteria = {c.id: c for c in quantitative_criteria(registration.campaign)}
    for criterion_id, value in targets.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            continue  # a stale form row for a criterion that was removed
        target = registration.target_for(criterion_id)
        if target is None:
            target = RegistrationTarget(criterion_id=criterion_id)
            registration.targets.append(target)
        target.baseline, target.target = value.baseline, value.target
        target.unit_of_measure = nfc(value.unit_of_measure) or criterion.unit_of_measure
        target.deadline, target.note = value.deadline, nfc(value.note)
        warning = wrong_way_warning(criterion, value)
        if warning:
            result.warnings[criterion_id] = warning
    registration.commitment = nfc(commitment)
    registration.titles = titles
    registration.updated_at = utcnow()
    flag_modified(
        registration, "updated_at"
    )  # always an UPDATE (even within one clock tick): the version moves on
    if registration.status == RegistrationStatus.RETURNED:
        registration.status = RegistrationStatus.DRAFT
    _log(registration, user, "saved")
    return result


def missing_targets(registration: Registration) -> list[Criterion]:
    """Quantitative criteria without a target yet."""
    return [
        c
        for c in quantitative_criteria(registration.campaign)
        if (t := registration.target_for(c.id)) is None or t.target is None
    ]


def submit(registration: Registration, user: User) -> None:
    _check_editable(registration, user)
    missing = missing_targets(registration)
    if missing:
        raise DomainError(
            _(
                "Còn %(n)s tiêu chí chưa có chỉ tiêu: %(codes)s.",
                n=len(missing),
                codes=", ".join(c.code for c in missing),
            )
        )
    registration.status = RegistrationStatus.SUBMITTED
    registration.submitted_at = utcnow()
    _log(registration, user, "submitted")


def _check_review(registration: Registration, user: User) -> None:
    if not can_review(user, registration):
        raise NotAllowed(
            _("Chỉ cụm trưởng, cụm phó của cụm hoặc Thường trực Hội đồng mới được duyệt.")
        )
    if registration.status != RegistrationStatus.SUBMITTED:
        raise NotAllowed(_("Bản đăng ký không ở trạng thái chờ duyệt."))
    if registration.campaign.status != CampaignStatus.LAUNCHED:
        raise NotAllowed(_("Phong trào không còn mở."))


def approve(registration: Registration, user: User) -> None:
    _check_review(registration, user)
    registration.status = RegistrationStatus.APPROVED
    registration.decided_at, registration.decided_by = utcnow(), user
    _log(registration, user, "approved")


def return_for_correction(registration: Registration, user: User, reason: str) -> None:
    _check_review(registration, user)
    reason = nfc(reason)
    if not reason:
        raise DomainError(_("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."), "reason")
    registration.status = RegistrationStatus.RETURNED
    registration.decided_at, registration.decided_by = utcnow(), user
    _log(registration, user, "returned", reason)


def request_amendment(registration: Registration, user: User, reason: str) -> AmendmentRequest:
    if not can_edit(user, registration):
        raise NotAllowed(_("Chỉ cán bộ của đơn vị mới được đề nghị điều chỉnh."))
    if registration.status != RegistrationStatus.APPROVED:
        raise NotAllowed(_("Chỉ bản đăng ký đã duyệt mới cần đề nghị điều chỉnh."))
    if registration.campaign.status != CampaignStatus.LAUNCHED:
        raise NotAllowed(_("Phong trào không còn mở."))
    if any(a.status == AmendmentStatus.PENDING for a in registration.amendments):
        raise NotAllowed(_("Đã có một đề nghị điều chỉnh đang chờ xem xét."))
    reason = nfc(reason)
    if not reason:
        raise DomainError(_("Hãy nêu nội dung và lý do cần điều chỉnh."), "reason")
    amendment = AmendmentRequest(requested_by_id=user.id, reason=reason)
    registration.amendments.append(amendment)
    _log(registration, user, "amendment_requested", reason)
    return amendment


def decide_amendment(
    amendment: AmendmentRequest, user: User, *, grant: bool, note: str = ""
) -> None:
    registration = amendment.registration
    if not can_review(user, registration):
        raise NotAllowed(
            _("Chỉ cụm trưởng, cụm phó của cụm hoặc Thường trực Hội đồng mới được xem xét.")
        )
    if amendment.status != AmendmentStatus.PENDING:
        raise NotAllowed(_("Đề nghị này đã được xem xét."))
    amendment.status = AmendmentStatus.APPROVED if grant else AmendmentStatus.REJECTED
    amendment.decided_by_id, amendment.decided_at, amendment.decision_note = (
        user.id,
        utcnow(),
        nfc(note),
    )
    if grant:
        registration.status = RegistrationStatus.DRAFT  # unlocked: the unit edits and resubmits
    _log(registration, user, "amendment_approved" if grant else "amendment_rejected", nfc(note))


# --- dashboards -----------------------------------------------------------------------------


@dataclass
class UnitStanding:
    unit: Unit
    registration: Registration | None
    late: bool

    @property
    def status(self) -> str:
        return self.registration.status if self.registration else "none"


def registration_board(campaign: Campaign, today: date) -> list[UnitStanding]:
    """Every participant with its registration (if any) and whether it is late."""
    registrations = {
        r.unit_id: r
        for r in db.session.scalars(
            select(Registration).where(Registration.campaign_id == campaign.id)
        )
    }
    windows = [p for p in campaign.phases if p.kind == PhaseKind.REGISTRATION]
    closed = bool(windows) and all(p.ends_on < today for p in windows)
    board = []
    for unit in participants(campaign):
        registration = registrations.get(unit.id)
        done = registration is not None and registration.status in (
            RegistrationStatus.SUBMITTED,
            RegistrationStatus.APPROVED,
        )
        board.append(UnitStanding(unit, registration, late=closed and not done))
    return board


@dataclass
class DueItem:
    """Something a unit has to do in a campaign, for its dashboard."""

    campaign: Campaign
    registration: Registration | None
    message: str
    due: date | None
    urgent: bool


def unit_dashboard(unit: Unit, today: date) -> list[DueItem]:
    """What is due for a unit: registrations to write, fix or resubmit, targets overdue."""
    items = []
    for campaign in campaigns_of_unit(unit):
        if campaign.status != CampaignStatus.LAUNCHED:
            continue
        registration = registration_of(campaign, unit)
        windows = [p for p in campaign.phases if p.kind == PhaseKind.REGISTRATION]
        window_end = max((p.ends_on for p in windows), default=None)
        status = registration.status if registration else None
        if status in (None, RegistrationStatus.DRAFT) and phase_is_open(
            campaign, PhaseKind.REGISTRATION, today
        ):
            items.append(
                DueItem(
                    campaign,
                    registration,
                    _("Hoàn thành và gửi bản đăng ký thi đua."),
                    window_end,
                    urgent=window_end is not None and (window_end - today).days <= 3,
                )
            )
        elif status is None and window_end is not None and window_end < today:
            items.append(
                DueItem(
                    campaign,
                    None,
                    _("Chưa đăng ký thi đua; thời gian đăng ký đã hết."),
                    window_end,
                    True,
                )
            )
        elif status == RegistrationStatus.RETURNED:
            items.append(
                DueItem(
                    campaign,
                    registration,
                    _("Bản đăng ký bị trả lại: sửa và gửi lại."),
                    window_end,
                    True,
                )
            )
        elif status == RegistrationStatus.SUBMITTED:
            items.append(
                DueItem(campaign, registration, _("Bản đăng ký đang chờ duyệt."), None, False)
            )
        elif status == RegistrationStatus.APPROVED:
            overdue = [t for t in registration.targets if t.deadline and t.deadline < today]
            message = _("Đã duyệt; báo cáo tiến độ định kỳ kèm minh chứng.")
            if overdue:
                message = _("%(n)s chỉ tiêu đã quá hạn: kiểm tra tiến độ.", n=len(overdue))
            items.append(DueItem(campaign, registration, message, None, bool(overdue)))
    return items
