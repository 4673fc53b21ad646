"""Documents pre-filled from what the system knows: registration targets, the latest
submitted progress, evidence files and the official (published) result."""

from __future__ import annotations

from collections import OrderedDict

from flask import current_app
from sqlalchemy import select

from emulation.campaigns.models import Campaign, CampaignForm
from emulation.campaigns.service import campaign_cluster_of
from emulation.commendation.documents.inputs import (
    AchievementGroup,
    CollectiveReport,
    Standing,
    TargetResult,
)
from emulation.core.clock import format_date
from emulation.core.extensions import db
from emulation.progress.models import Evidence, ProgressReport, ReportStatus
from emulation.progress.service import latest_achievements, targets_in_order
from emulation.registrations.models import RegistrationStatus
from emulation.registrations.service import registration_of
from emulation.standings.service import OFFICIAL, board
from emulation.units.models import Unit

DEFAULT_AWARD = {
    CampaignForm.REGULAR: "Bằng khen của Chủ tịch UBND tỉnh",
    CampaignForm.THEMED: "Bằng khen của Chủ tịch UBND tỉnh (theo chuyên đề)",
}


def official_standing(campaign: Campaign, unit: Unit) -> Standing | None:
    """The unit's published result in the campaign: points, rank in its cluster, grade."""
    found = board(campaign, OFFICIAL)
    for group in found.groups:
        for row in group.rows:
            if row.unit_id == unit.id:
                return Standing(
                    rank=row.rank,
                    of=len(group.rows),
                    total=row.total,
                    max_total=found.max_total or None,
                    grade=row.grade or "",
                    group=group.name,
                )
    return None


def evidence_names(registration) -> list[str]:
    """File names of the evidence attached to submitted progress reports, oldest first."""
    rows = db.session.execute(
        select(Evidence.original_name, ProgressReport.period_label)
        .join(ProgressReport, Evidence.report_id == ProgressReport.id)
        .where(
            ProgressReport.registration_id == registration.id,
            ProgressReport.status == ReportStatus.SUBMITTED,
        )
        .order_by(ProgressReport.period_end, ProgressReport.id, Evidence.id)
    ).all()
    return [f"{name} ({period})" for name, period in rows]


def _achievements(registration) -> tuple[list[AchievementGroup], list[str]]:
    """Targets grouped under their criteria group, and the periods the results come from."""
    reached = latest_achievements(registration)
    groups: OrderedDict[int, AchievementGroup] = OrderedDict()
    periods: list[str] = []
    for target in targets_in_order(registration):
        criterion = target.criterion
        root = criterion.root
        group = groups.setdefault(root.id, AchievementGroup(f"{root.code}. {root.title}"))
        achievement = reached.get(target.id)
        if achievement and achievement.period_label and achievement.period_label not in periods:
            periods.append(achievement.period_label)
        group.targets.append(
            TargetResult(
                name=criterion.title,
                unit_of_measure=target.unit_of_measure or criterion.unit_of_measure,
                target=target.target,
                result=achievement.actual if achievement else None,
                percent=achievement.percent if achievement else None,
                baseline=target.baseline,
            )
        )
    return list(groups.values()), periods


def collective_report_for(
    campaign: Campaign, unit: Unit, *, award: str | None = None
) -> CollectiveReport:
    """Mẫu 02 pre-filled for a unit in a campaign; what the system cannot know (address,
    telephone, head, functions, earlier awards) is left for the unit to write in."""
    province = current_app.config.get("PROVINCE_NAME", "Lai Châu")
    registration = registration_of(campaign, unit)
    approved = registration is not None and registration.status == RegistrationStatus.APPROVED
    achievements, periods = _achievements(registration) if approved else ([], [])
    features = []
    cluster = campaign_cluster_of(campaign, unit)
    if cluster is not None:
        features.append(
            f"Đơn vị thuộc {cluster.name} năm {cluster.year}, tham gia {campaign.name} "
            f"(từ {format_date(campaign.start_date)} đến {format_date(campaign.end_date)})."
        )
    measures = []
    if approved and registration.commitment.strip():
        measures.append(f"Đơn vị đăng ký thi đua và cam kết: {registration.commitment.strip()}")
    if periods:
        measures.append(
            "Số liệu thực hiện lấy từ báo cáo tiến độ đã gửi gần nhất (kỳ "
            + ", ".join(periods)
            + ")."
        )
    titles = list(registration.titles or []) if registration is not None else []
    return CollectiveReport(
        unit_name=unit.name,
        award=award or (titles[0] if titles else DEFAULT_AWARD.get(campaign.form, "")),
        parent_body=unit.parent.name if unit.parent else f"UBND tỉnh {province}",
        period=f"(Thành tích trong {campaign.name})",
        place=province,
        features=features,
        achievements=achievements,
        standing=official_standing(campaign, unit),
        measures=measures,
        evidence=evidence_names(registration) if approved else [],
    )
