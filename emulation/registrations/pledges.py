"""Đăng ký nêu gương: a person pledges 1–2 concrete tasks, in group (1) fixing a long-standing
shortcoming or (2) a breakthrough, innovation or urgent task; the unit reviews the pledge and
evaluates it at the year's end (seed plan 222-KH/TU)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign, PhaseKind
from emulation.campaigns.service import participates, phase_is_open, require_phase
from emulation.core.clock import local_today, utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.text import nfc
from emulation.registrations.models import (
    ExemplaryEvaluation,
    ExemplaryRegistration,
    ExemplaryTask,
    ExemplaryTaskGroup,
    RegistrationStatus,
)
from emulation.units.models import Unit

MAX_TASKS = 2


@dataclass
class TaskInput:
    group: int
    description: str
    expected_result: str = ""
    deadline: date | None = None


def can_manage(user: User, pledge: ExemplaryRegistration) -> bool:
    """The unit records, reviews and evaluates its people's pledges; the standing office too."""
    return bool(
        user.is_authenticated
        and (user.is_admin or (user.is_unit_officer and user.unit_id == pledge.unit_id))
    )


def can_view(user: User, pledge: ExemplaryRegistration) -> bool:
    return bool(user.is_authenticated and (user.is_council_member or can_manage(user, pledge)))


def pledges(campaign: Campaign, unit: Unit | None = None) -> list[ExemplaryRegistration]:
    stmt = select(ExemplaryRegistration).where(ExemplaryRegistration.campaign_id == campaign.id)
    if unit is not None:
        stmt = stmt.where(ExemplaryRegistration.unit_id == unit.id)
    return list(db.session.scalars(stmt.order_by(ExemplaryRegistration.id)))


def save_pledge(
    pledge: ExemplaryRegistration,
    user: User,
    *,
    campaign: Campaign,
    unit: Unit,
    person_name: str,
    person_title: str,
    tasks: list[TaskInput],
) -> ExemplaryRegistration:
    pledge.campaign, pledge.unit = campaign, unit
    if not can_manage(user, pledge):
        raise NotAllowed(_("Chỉ cán bộ của đơn vị mới được ghi đăng ký nêu gương."))
    if not participates(campaign, unit):
        raise NotAllowed(_("%(unit)s không tham gia phong trào này.", unit=unit.name))
    if pledge.status not in RegistrationStatus.EDITABLE:
        raise NotAllowed(_("Đăng ký đã gửi hoặc đã duyệt; không sửa được nữa."))
    require_phase(campaign, PhaseKind.REGISTRATION)
    tasks = [t for t in tasks if t.description.strip()]
    if not 1 <= len(tasks) <= MAX_TASKS:
        raise DomainError(_("Mỗi người đăng ký từ 1 đến 2 việc cụ thể."), "task1_description")
    for task in tasks:
        if task.group not in ExemplaryTaskGroup.LABELS:
            raise DomainError(_("Nhóm việc không hợp lệ."), "task1_group")
    if not nfc(person_name):
        raise DomainError(_("Cần nhập họ và tên."), "person_name")
    pledge.person_name, pledge.person_title = nfc(person_name), nfc(person_title)
    pledge.tasks = [
        ExemplaryTask(
            position=i,
            group=t.group,
            description=nfc(t.description),
            expected_result=nfc(t.expected_result),
            deadline=t.deadline,
        )
        for i, t in enumerate(tasks)
    ]
    if pledge.created_by_id is None:
        pledge.created_by_id = user.id
    if pledge.status == RegistrationStatus.RETURNED:
        pledge.status = RegistrationStatus.DRAFT
    db.session.add(pledge)
    return pledge


def submit_pledge(pledge: ExemplaryRegistration, user: User) -> None:
    if not can_manage(user, pledge):
        raise NotAllowed(_("Chỉ cán bộ của đơn vị mới được gửi đăng ký này."))
    if pledge.status not in RegistrationStatus.EDITABLE:
        raise NotAllowed(_("Đăng ký đã được gửi."))
    require_phase(pledge.campaign, PhaseKind.REGISTRATION)
    pledge.status = RegistrationStatus.SUBMITTED


def review_pledge(
    pledge: ExemplaryRegistration, user: User, *, approve: bool, note: str = ""
) -> None:
    if not can_manage(user, pledge):
        raise NotAllowed(_("Chỉ đơn vị hoặc Thường trực Hội đồng mới được xem xét đăng ký này."))
    if pledge.status != RegistrationStatus.SUBMITTED:
        raise NotAllowed(_("Đăng ký không ở trạng thái chờ duyệt."))
    if not approve and not nfc(note):
        raise DomainError(_("Hãy ghi lý do trả lại."), "note")
    pledge.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.RETURNED
    pledge.review_note, pledge.reviewed_by_id, pledge.reviewed_at = nfc(note), user.id, utcnow()


def evaluation_open(campaign: Campaign, day: date | None = None) -> bool:
    """Year-end evaluation: from the campaign's last day, or while scoring or wrap-up is open."""
    day = day or local_today()
    return (
        day >= campaign.end_date
        or phase_is_open(campaign, PhaseKind.SCORING, day)
        or phase_is_open(campaign, PhaseKind.WRAPUP, day)
    )


def evaluate_pledge(
    pledge: ExemplaryRegistration, user: User, *, evaluation: str, note: str = ""
) -> None:
    if not can_manage(user, pledge):
        raise NotAllowed(_("Chỉ đơn vị hoặc Thường trực Hội đồng mới được đánh giá."))
    if pledge.status != RegistrationStatus.APPROVED:
        raise NotAllowed(_("Chỉ đánh giá đăng ký đã được duyệt."))
    if not evaluation_open(pledge.campaign):
        raise NotAllowed(
            _(
                "Chưa đến kỳ đánh giá cuối năm (từ %(d)s).",
                d=pledge.campaign.end_date.strftime("%d/%m/%Y"),
            )
        )
    if evaluation not in ExemplaryEvaluation.LABELS:
        raise DomainError(_("Hãy chọn kết quả đánh giá."), "evaluation")
    pledge.evaluation, pledge.evaluation_note, pledge.evaluated_at = evaluation, nfc(note), utcnow()
