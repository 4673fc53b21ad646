"""Units and clusters: listing, saving and cluster seats, with the rules that keep them sane."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.core.text import fold, nfc, sort_key
from emulation.units.models import (
    CLUSTER_KINDS,
    UNIT_LEVELS,
    UNIT_TYPES,
    Cluster,
    ClusterMember,
    ClusterPosition,
    Unit,
)

# The columns' lengths: an import bypasses the form, and PostgreSQL refuses a longer value.
CODE_LENGTH, NAME_LENGTH, SHORT_NAME_LENGTH = 32, 255, 120


def sorted_units(units: Iterable[Unit]) -> list[Unit]:
    """Units in Vietnamese alphabetical order of their names."""
    return sorted(units, key=lambda u: sort_key(u.name))


def search_units(
    query: str = "",
    unit_type: str = "",
    level: str = "",
    include_inactive: bool = False,
) -> list[Unit]:
    """Units matching an accent-free query on code and names, in Vietnamese order."""
    stmt = select(Unit)
    for word in fold(query).split():
        stmt = stmt.where(Unit.search_text.contains(word, autoescape=True))
    if unit_type:
        stmt = stmt.where(Unit.type == unit_type)
    if level:
        stmt = stmt.where(Unit.level == level)
    if not include_inactive:
        stmt = stmt.where(Unit.active.is_(True))
    return sorted_units(db.session.scalars(stmt))


def unit_by_code(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == nfc(code).upper()))


def _check_parent(unit: Unit, parent: Unit | None) -> None:
    seen = parent
    while seen is not None:
        if seen is unit or (unit.id is not None and seen.id == unit.id):
            raise DomainError(
                _("Đơn vị cấp trên không được là chính nó hoặc đơn vị cấp dưới của nó."),
                "parent_id",
            )
        seen = seen.parent


def save_unit(
    unit: Unit,
    *,
    code: str,
    name: str,
    short_name: str = "",
    type: str,
    level: str,
    parent: Unit | None = None,
    active: bool = True,
) -> Unit:
    """Validate and store a unit's fields; raises DomainError naming the bad field."""
    code = nfc(code).upper()
    name = nfc(name)
    short_name = nfc(short_name)
    if not code:
        raise DomainError(_("Cần nhập mã đơn vị."), "code")
    if len(code) > CODE_LENGTH:
        raise DomainError(_("Mã đơn vị tối đa %(n)s ký tự.", n=CODE_LENGTH), "code")
    if not name:
        raise DomainError(_("Cần nhập tên đơn vị."), "name")
    if len(name) > NAME_LENGTH:
        raise DomainError(_("Tên đơn vị tối đa %(n)s ký tự.", n=NAME_LENGTH), "name")
    if len(short_name) > SHORT_NAME_LENGTH:
        raise DomainError(_("Tên ngắn tối đa %(n)s ký tự.", n=SHORT_NAME_LENGTH), "short_name")
    if type not in UNIT_TYPES:
        raise DomainError(_("Loại đơn vị không hợp lệ."), "type")
    if level not in UNIT_LEVELS:
        raise DomainError(_("Cấp đơn vị không hợp lệ."), "level")
    clash = unit_by_code(code)
    if clash is not None and clash is not unit:
        raise DomainError(
            _("Mã %(code)s đã được dùng cho %(name)s.", code=code, name=clash.name), "code"
        )
    _check_parent(unit, parent)
    unit.code = code
    unit.name = name
    unit.short_name = short_name
    unit.type = type
    unit.level = level
    unit.parent = parent
    unit.active = active
    unit.search_text = fold(f"{code} {name} {unit.short_name}")
    db.session.add(unit)
    return unit


def delete_unit(unit: Unit) -> None:
    """Delete a unit that nothing refers to yet; otherwise say to mark it inactive instead."""
    in_use = unit.children or unit.memberships or unit.accounts
    if in_use:
        raise DomainError(
            _(
                "Không xóa được %(name)s vì đơn vị đã có đơn vị trực thuộc, tài khoản hoặc thuộc cụm, khối. Hãy chuyển sang “ngừng hoạt động” để giữ lịch sử.",
                name=unit.name,
            )
        )
    db.session.delete(unit)


# --- clusters -------------------------------------------------------------------------------


def clusters_of_year(year: int) -> list[Cluster]:
    clusters = db.session.scalars(select(Cluster).where(Cluster.year == year))
    return sorted(clusters, key=lambda c: (c.kind, sort_key(c.name)))


def cluster_years() -> list[int]:
    return list(db.session.scalars(select(Cluster.year).distinct().order_by(Cluster.year.desc())))


def save_cluster(cluster: Cluster, *, name: str, kind: str, year: int, note: str = "") -> Cluster:
    name = nfc(name)
    if not name:
        raise DomainError(_("Cần nhập tên cụm, khối."), "name")
    if kind not in CLUSTER_KINDS:
        raise DomainError(_("Loại cụm, khối không hợp lệ."), "kind")
    if not 2000 <= year <= 2100:
        raise DomainError(_("Năm không hợp lệ."), "year")
    clash = db.session.scalar(select(Cluster).where(Cluster.name == name, Cluster.year == year))
    if clash is not None and clash is not cluster:
        raise DomainError(_("Năm %(year)s đã có cụm, khối tên này.", year=year), "name")
    if cluster.id is not None and cluster.year != year and cluster.members:
        raise DomainError(
            _("Không đổi năm của cụm, khối đã có thành viên; hãy sao chép sang năm mới."), "year"
        )
    cluster.name, cluster.kind, cluster.year, cluster.note = name, kind, year, nfc(note)
    db.session.add(cluster)
    return cluster


def cluster_of_unit(unit: Unit, year: int) -> Cluster | None:
    """The cluster a unit sits in for a year (a unit sits in at most one per year)."""
    return db.session.scalar(
        select(Cluster)
        .join(ClusterMember)
        .where(ClusterMember.unit_id == unit.id, Cluster.year == year)
    )


def add_member(
    cluster: Cluster, unit: Unit, position: str = ClusterPosition.MEMBER
) -> ClusterMember:
    """Seat a unit in a cluster-year; one cluster per unit per year, inactive units refused."""
    if not unit.active:
        raise DomainError(_("Đơn vị %(name)s đã ngừng hoạt động.", name=unit.name), "unit_id")
    current = cluster_of_unit(unit, cluster.year)
    if current is cluster:
        raise DomainError(
            _("%(name)s đã là thành viên của cụm, khối này.", name=unit.name), "unit_id"
        )
    if current is not None:
        raise DomainError(
            _(
                "Năm %(year)s, %(unit)s đã thuộc %(cluster)s.",
                year=cluster.year,
                unit=unit.name,
                cluster=current.name,
            ),
            "unit_id",
        )
    member = ClusterMember(cluster=cluster, unit=unit, position=ClusterPosition.MEMBER)
    db.session.add(member)
    if position != ClusterPosition.MEMBER:
        set_position(cluster, member, position)
    return member


def set_position(cluster: Cluster, member: ClusterMember, position: str) -> None:
    """Make a member the leader or deputy (the previous holder becomes a plain member)."""
    if position not in ClusterPosition.LABELS:
        raise DomainError(_("Vị trí không hợp lệ."), "position")
    if position != ClusterPosition.MEMBER:
        for other in cluster.members:
            if other is not member and other.position == position:
                other.position = ClusterPosition.MEMBER
    member.position = position


def remove_member(cluster: Cluster, member: ClusterMember) -> None:
    cluster.members.remove(member)


def copy_clusters(from_year: int, to_year: int) -> list[Cluster]:
    """Start a new year from last year's clusters: same names, kinds, members and positions.

    Leaders rotate yearly, so the standing office usually changes them right after copying.
    """
    if from_year == to_year:
        raise DomainError(_("Năm đích phải khác năm nguồn."), "to_year")
    if clusters_of_year(to_year):
        raise DomainError(_("Năm %(year)s đã có cụm, khối.", year=to_year), "to_year")
    copies = []
    for source in clusters_of_year(from_year):
        copy = Cluster(name=source.name, kind=source.kind, year=to_year, note=source.note)
        db.session.add(copy)
        for member in source.members:
            if member.unit.active:
                copy.members.append(ClusterMember(unit=member.unit, position=member.position))
        copies.append(copy)
    if not copies:
        raise DomainError(
            _("Năm %(year)s chưa có cụm, khối nào để sao chép.", year=from_year), "from_year"
        )
    return copies
