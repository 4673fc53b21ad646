"""Small factories for domain objects, through the same domain functions the app uses."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from emulation.accounts.models import Role, User
from emulation.accounts.service import save_user
from emulation.campaigns.models import Campaign, Phase
from emulation.campaigns.service import create_campaign
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.criteria.models import Criterion
from emulation.criteria.service import default_params
from emulation.units.models import Cluster, ClusterPosition, Unit
from emulation.units.service import add_member, save_cluster, save_unit

PASSWORD = "password123"
_serial = count(1)


def make_unit(
    name: str | None = None,
    *,
    code: str | None = None,
    parent: Unit | None = None,
    type: str = "co_quan",
    level: str = "tinh",
    active: bool = True,
    short_name: str = "",
) -> Unit:
    n = next(_serial)
    unit = save_unit(
        Unit(),
        code=code or f"U{n:03}",
        name=name or f"Sở thử nghiệm {n}",
        short_name=short_name,
        type=type,
        level=level,
        parent=parent,
        active=active,
    )
    db.session.commit()
    return unit


def make_user(
    username: str,
    role: str = Role.UNIT_OFFICER,
    unit: Unit | None = None,
    full_name: str = "",
    active: bool = True,
) -> User:
    if role == Role.UNIT_OFFICER and unit is None:
        unit = make_unit()
    user = save_user(
        User(),
        username=username,
        full_name=full_name or username.title(),
        role=role,
        unit=unit,
        password=PASSWORD,
        active=active,
    )
    db.session.commit()
    return user


def make_cluster(
    name: str = "Cụm thi đua số 1",
    year: int = 2025,
    *,
    kind: str = "cum",
    members: list[Unit] = (),
    leader: Unit | None = None,
    deputy: Unit | None = None,
) -> Cluster:
    cluster = save_cluster(Cluster(), name=name, kind=kind, year=year)
    for unit in members:
        position = ClusterPosition.MEMBER
        if unit is leader:
            position = ClusterPosition.LEADER
        elif unit is deputy:
            position = ClusterPosition.DEPUTY
        add_member(cluster, unit, position)
    db.session.commit()
    return cluster


def make_campaign(
    name: str = "Phong trào thi đua thử nghiệm",
    *,
    slug: str | None = None,
    start: date | None = None,
    end: date | None = None,
    form: str = "thuong_xuyen",
    clusters: list[Cluster] = (),
    units: list[Unit] = (),
    phases: dict[str, tuple[date, date]] | None = None,
    status: str = "launched",
    decision_number: str = "01/QĐ-UBND",
) -> Campaign:
    """A campaign around today: by default launched, with a registration window open now."""
    today = local_today()
    start = start or today - timedelta(days=30)
    end = end or today + timedelta(days=300)
    campaign = create_campaign(
        name=name,
        slug=slug or f"phong-trao-{next(_serial)}",
        form=form,
        authority="UBND tỉnh Lai Châu",
        decision_number=decision_number,
        start_date=start,
        end_date=end,
    )
    if phases is None:
        phases = {"registration": (today - timedelta(days=10), today + timedelta(days=10))}
    for kind, (starts_on, ends_on) in phases.items():
        campaign.phases.append(Phase(kind=kind, starts_on=starts_on, ends_on=ends_on))
    campaign.clusters = list(clusters)
    campaign.units = list(units)
    campaign.status = status
    db.session.commit()
    return campaign


def add_criterion(
    campaign: Campaign,
    code: str,
    title: str,
    max_points,
    *,
    parent=None,
    scoring_type: str = "sum",
    section: str | None = None,
    params=None,
    unit_of_measure: str = "",
    position: int | None = None,
) -> Criterion:
    criterion = Criterion(
        criteria_set=campaign.criteria_set,
        parent=parent,
        code=code,
        title=title,
        max_points=Decimal(str(max_points)),
        scoring_type=scoring_type,
        section=section if parent is None else None,
        params=params if params is not None else default_params(scoring_type),
        unit_of_measure=unit_of_measure,
        position=position if position is not None else len(campaign.criteria_set.criteria),
    )
    db.session.add(criterion)
    db.session.commit()
    return criterion
