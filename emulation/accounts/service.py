"""Accounts and who may see what: roles, unit scope and yearly cluster leadership."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from emulation.accounts.models import Role, User
from emulation.core.clock import local_today, utcnow
from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.core.text import nfc
from emulation.units.models import Cluster, ClusterMember, ClusterPosition, Unit

MIN_PASSWORD_LENGTH = 8


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == nfc(username).lower()))


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    user = user_by_username(username)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def save_user(
    user: User,
    *,
    username: str,
    full_name: str,
    role: str,
    unit: Unit | None = None,
    email: str = "",
    password: str | None = None,
    active: bool = True,
) -> User:
    """Validate and store an account; a unit officer must belong to a unit."""
    username = nfc(username)
    if not username:
        raise DomainError(_("Cần nhập tên đăng nhập."), "username")
    clash = user_by_username(username)
    if clash is not None and clash is not user:
        raise DomainError(_("Tên đăng nhập %(name)s đã có người dùng.", name=username), "username")
    if role not in Role.ALL:
        raise DomainError(_("Vai trò không hợp lệ."), "role")
    if role == Role.UNIT_OFFICER and unit is None:
        raise DomainError(_("Cán bộ đơn vị phải thuộc một đơn vị."), "unit_id")
    if password is not None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise DomainError(
                _("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH), "password"
            )
        user.set_password(password)
    elif not user.password_hash:
        raise DomainError(_("Cần đặt mật khẩu."), "password")
    user.username = username
    user.full_name = nfc(full_name) or username
    user.role = role
    user.unit = unit if role != Role.ADMIN else unit
    user.email = nfc(email)
    user.active = active
    db.session.add(user)
    return user


def led_clusters(user: User, year: int | None = None) -> list[Cluster]:
    """Clusters whose leader or deputy is this officer's unit, for a year (default: this year)."""
    if not user.is_authenticated or not user.is_unit_officer or user.unit_id is None:
        return []
    year = year or local_today().year
    return list(
        db.session.scalars(
            select(Cluster)
            .join(ClusterMember)
            .where(
                Cluster.year == year,
                ClusterMember.unit_id == user.unit_id,
                ClusterMember.position.in_([ClusterPosition.LEADER, ClusterPosition.DEPUTY]),
            )
        )
    )


def leads_cluster(user: User, cluster: Cluster) -> bool:
    """Leader rights for this cluster-year: the officer's unit is its leader or deputy."""
    return any(c.id == cluster.id for c in led_clusters(user, cluster.year))


def can_view_unit(user: User, unit: Unit) -> bool:
    """Admins and council members see every unit; an officer sees their own unit,
    the units below it, and the members of a cluster their unit leads."""
    if not user.is_authenticated:
        return False
    if user.is_admin or user.is_council_member:
        return True
    if user.unit_id is None:
        return False
    if unit.id == user.unit_id or unit.parent_id == user.unit_id:
        return True
    return any(any(m.unit_id == unit.id for m in c.members) for c in led_clusters(user))


def can_view_cluster(user: User, cluster: Cluster) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_admin or user.is_council_member:
        return True
    return any(m.unit_id == user.unit_id for m in cluster.members)
