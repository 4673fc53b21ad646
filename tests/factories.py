"""Small factories for domain objects, through the same domain functions the app uses."""

from __future__ import annotations

from itertools import count

from emulation.accounts import save_user
from emulation.extensions import db
from emulation.models import Cluster, ClusterPosition, Role, Unit, User
from emulation.units import add_member, save_cluster, save_unit

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
