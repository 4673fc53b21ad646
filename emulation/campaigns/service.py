"""Campaigns: saving, phases that gate actions, status moves, participants and cloning."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from emulation.campaigns.models import Campaign, CampaignForm, CampaignStatus, Phase, PhaseKind
from emulation.core.clock import format_date, local_today
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.text import fold, nfc
from emulation.criteria.service import copy_criteria_set, new_criteria_set
from emulation.units.models import Cluster, Unit
from emulation.units.service import sorted_units

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """ "Thi đua đặc biệt 2023" → "thi-dua-dac-biet-2023"."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))[:80].strip("-")


def campaign_by_slug(slug: str) -> Campaign | None:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))


def list_campaigns(include_drafts: bool = True) -> list[Campaign]:
    stmt = select(Campaign).order_by(Campaign.start_date.desc(), Campaign.id.desc())
    if not include_drafts:
        stmt = stmt.where(Campaign.status != CampaignStatus.DRAFT)
    return list(db.session.scalars(stmt))


def save_campaign(
    campaign: Campaign,
    *,
    name: str,
    slug: str = "",
    theme: str = "",
    form: str = CampaignForm.REGULAR,
    authority: str = "",
    decision_number: str = "",
    decision_date: date | None = None,
    start_date: date,
    end_date: date,
    content_areas: str = "",
) -> Campaign:
    """Validate and store a campaign's fields."""
    name = nfc(name)
    if not name:
        raise DomainError(_("Cần nhập tên phong trào."), "name")
    slug = nfc(slug).lower() or slugify(name)
    if not SLUG.match(slug):
        raise DomainError(
            _("Mã đường dẫn chỉ gồm chữ thường không dấu, số và dấu gạch nối."), "slug"
        )
    clash = campaign_by_slug(slug)
    if clash is not None and clash is not campaign:
        raise DomainError(_("Mã đường dẫn %(slug)s đã được dùng.", slug=slug), "slug")
    if form not in CampaignForm.LABELS:
        raise DomainError(_("Hình thức không hợp lệ."), "form")
    if end_date < start_date:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), "end_date")
    campaign.name, campaign.slug, campaign.theme, campaign.form = name, slug, nfc(theme), form
    campaign.authority = nfc(authority)
    campaign.decision_number = nfc(decision_number)
    campaign.decision_date = decision_date
    campaign.start_date, campaign.end_date = start_date, end_date
    campaign.year = start_date.year
    campaign.content_areas = "\n".join(
        nfc(line) for line in content_areas.splitlines() if line.strip()
    )
    db.session.add(campaign)
    return campaign


def create_campaign(**fields) -> Campaign:
    """A new draft campaign with an empty criteria set carrying the usual rules."""
    campaign = save_campaign(Campaign(), **fields)
    new_criteria_set(campaign)
    return campaign


# --- phases ---------------------------------------------------------------------------------


def save_phase(
    phase: Phase, campaign: Campaign, *, kind: str, title: str, starts_on: date, ends_on: date
) -> Phase:
    if kind not in PhaseKind.LABELS:
        raise DomainError(_("Loại giai đoạn không hợp lệ."), "kind")
    if ends_on < starts_on:
        raise DomainError(_("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."), "ends_on")
    phase.campaign, phase.kind, phase.title = campaign, kind, nfc(title)
    phase.starts_on, phase.ends_on = starts_on, ends_on
    db.session.add(phase)
    return phase


def open_phases(campaign: Campaign, day: date | None = None) -> list[Phase]:
    """Phases running on `day` (today by default) of a launched campaign."""
    if campaign.status != CampaignStatus.LAUNCHED:
        return []
    day = day or local_today()
    return [p for p in campaign.phases if p.is_open(day)]


def phase_is_open(campaign: Campaign, kind: str, day: date | None = None) -> bool:
    return any(p.kind == kind for p in open_phases(campaign, day))


def windows_text(campaign: Campaign, kind: str) -> str:
    windows = [p for p in campaign.phases if p.kind == kind]
    if not windows:
        return _("chưa được mở")
    return "; ".join(f"{format_date(p.starts_on)} – {format_date(p.ends_on)}" for p in windows)


def require_phase(campaign: Campaign, kind: str, day: date | None = None) -> None:
    """Refuse, with the window dates in the message, an action outside its phase."""
    label = str(PhaseKind.LABELS[kind]).lower()
    if campaign.status == CampaignStatus.DRAFT:
        raise NotAllowed(_("Phong trào chưa được phát động."))
    if campaign.status == CampaignStatus.CLOSED:
        raise NotAllowed(_("Phong trào đã kết thúc; không thể thay đổi."))
    if not phase_is_open(campaign, kind, day):
        raise NotAllowed(
            _(
                "Ngoài thời gian %(phase)s (%(windows)s).",
                phase=label,
                windows=windows_text(campaign, kind),
            )
        )


def current_phase(campaign: Campaign, day: date | None = None) -> Phase | None:
    """The phase to show as "now running": the latest-starting open one."""
    running = open_phases(campaign, day)
    return max(running, key=lambda p: (p.starts_on, p.id or 0)) if running else None


# --- status ---------------------------------------------------------------------------------


def launch_problems(campaign: Campaign) -> list[str]:
    """What still stops a campaign from being launched, in words for the standing office."""
    problems = []
    if not campaign.decision_number:
        problems.append(_("Chưa có số quyết định phát động."))
    if not participants(campaign):
        problems.append(_("Chưa có cụm, khối hoặc đơn vị tham gia."))
    if not any(p.kind == PhaseKind.REGISTRATION for p in campaign.phases):
        problems.append(_("Chưa có giai đoạn đăng ký thi đua."))
    criteria_set = getattr(campaign, "criteria_set", None)
    if criteria_set is None or not criteria_set.criteria:
        problems.append(_("Bảng tiêu chí chưa có tiêu chí nào."))
    return problems


def change_status(campaign: Campaign, new_status: str) -> None:
    """Move draft → launched → closed; anything else, or launching an unready campaign, fails."""
    if new_status not in CampaignStatus.TRANSITIONS.get(campaign.status, ()):
        raise NotAllowed(
            _(
                "Không thể chuyển phong trào từ “%(old)s” sang “%(new)s”.",
                old=campaign.status_label,
                new=str(CampaignStatus.LABELS.get(new_status, new_status)),
            )
        )
    if new_status == CampaignStatus.LAUNCHED:
        problems = launch_problems(campaign)
        if problems:
            raise DomainError(" ".join(problems))
    campaign.status = new_status


# --- participants ---------------------------------------------------------------------------


def participants(campaign: Campaign) -> list[Unit]:
    """Units taking part: members of the participating clusters plus units added one by one.

    Not filtered by `active`: a closed campaign keeps the units that took part back then."""
    units = {m.unit.id: m.unit for c in campaign.clusters for m in c.members}
    units.update({u.id: u for u in campaign.units})
    return sorted_units(units.values())


def participates(campaign: Campaign, unit: Unit) -> bool:
    return any(u.id == unit.id for u in participants(campaign))


def campaign_cluster_of(campaign: Campaign, unit: Unit) -> Cluster | None:
    """The participating cluster a unit sits in for this campaign, if any."""
    return next(
        (c for c in campaign.clusters if any(m.unit_id == unit.id for m in c.members)), None
    )


def set_participants(campaign: Campaign, clusters: list[Cluster], units: list[Unit]) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise NotAllowed(_("Phong trào đã kết thúc; không thể thay đổi."))
    wrong_year = [c.name for c in clusters if c.year != campaign.year]
    if wrong_year:
        raise DomainError(
            _(
                "Cụm, khối phải cùng năm với phong trào (%(year)s): %(names)s.",
                year=campaign.year,
                names=", ".join(wrong_year),
            ),
            "clusters",
        )
    campaign.clusters = list(clusters)
    campaign.units = list(units)


def campaigns_of_unit(unit: Unit) -> list[Campaign]:
    """Launched or closed campaigns this unit takes part in, newest first."""
    return [c for c in list_campaigns(include_drafts=False) if participates(c, unit)]


# --- cloning --------------------------------------------------------------------------------


def _same_cluster_in(year: int, cluster: Cluster) -> Cluster | None:
    return db.session.scalar(
        select(Cluster).where(Cluster.name == cluster.name, Cluster.year == year)
    )


def clone_campaign(source: Campaign, *, name: str, slug: str, start_date: date) -> Campaign:
    """A new draft from a previous campaign: criteria, participants, phases shifted in time.

    Clusters are per year, so a clone in another year takes the clusters of the same name
    in that year (created beforehand by copying last year's clusters).
    """
    shift = start_date - source.start_date
    clone = save_campaign(
        Campaign(),
        name=name,
        slug=slug,
        theme=source.theme,
        form=source.form,
        authority=source.authority,
        start_date=start_date,
        end_date=source.end_date + shift,
        content_areas=source.content_areas,
    )
    if source.criteria_set is not None:
        copy_criteria_set(source.criteria_set, clone)
    else:
        new_criteria_set(clone)
    for phase in source.phases:
        clone.phases.append(
            Phase(
                kind=phase.kind,
                title=phase.title,
                starts_on=phase.starts_on + shift,
                ends_on=phase.ends_on + shift,
            )
        )
    if clone.year == source.year:
        clone.clusters = list(source.clusters)
    else:
        clone.clusters = [
            c for c in (_same_cluster_in(clone.year, s) for s in source.clusters) if c
        ]
    clone.units = list(source.units)
    return clone
