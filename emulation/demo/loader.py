"""Demo setting for Lai Châu: units, clusters for last year and this year, one account per role.

`load()` is idempotent: units are matched by code, clusters by name and year, accounts by
username; running it again adds only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from emulation.accounts.models import Role, User
from emulation.campaigns.models import Campaign
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.demo import awards as demo_awards
from emulation.demo import campaigns as demo_campaigns
from emulation.demo import data as demo_data
from emulation.demo import showcase as demo_showcase
from emulation.demo import surveys as demo_surveys
from emulation.demo import wrapup as demo_wrapup
from emulation.units.models import Cluster, ClusterMember, ClusterPosition, Unit
from emulation.units.service import save_unit, unit_by_code

DEMO_PASSWORD = "thidua2025"


@dataclass
class DemoSummary:
    units: int = 0
    clusters: int = 0
    users: int = 0
    campaigns: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Unit))


def _load_units() -> None:
    for row in demo_data.UNITS:
        unit = unit_by_code(row["code"])
        if unit is None:
            save_unit(
                Unit(),
                code=row["code"],
                name=row["name"],
                short_name=row["short_name"],
                type=row["type"],
                level=row["level"],
                active=row["active"],
            )
    db.session.flush()
    for row in demo_data.UNITS:
        if row["parent"]:
            unit_by_code(row["code"]).parent = unit_by_code(row["parent"])


def _seat(cluster: Cluster, members: list[str], leader: str, deputy: str) -> None:
    for code in members:
        position = {leader: ClusterPosition.LEADER, deputy: ClusterPosition.DEPUTY}.get(
            code, ClusterPosition.MEMBER
        )
        cluster.members.append(ClusterMember(unit=unit_by_code(code), position=position))


def _rotated(row: dict, steps: int) -> tuple[str, str]:
    """Leadership rotates yearly: the deputy leads next year and the next member deputises."""
    order = [row["leader"], row["deputy"]] + [
        code for code in row["members"] if code not in (row["leader"], row["deputy"])
    ]
    return order[steps % len(order)], order[(steps + 1) % len(order)]


def _load_clusters() -> None:
    this_year = local_today().year
    for row in demo_data.CLUSTERS:
        for year in range(row["year"], max(row["year"], this_year) + 1):
            exists = db.session.scalar(
                select(Cluster).where(Cluster.name == row["name"], Cluster.year == year)
            )
            if exists:
                continue
            cluster = Cluster(name=row["name"], kind=row["kind"], year=year)
            db.session.add(cluster)
            if year == row["year"]:
                _seat(cluster, row["members"], row["leader"], row["deputy"])
            else:
                _seat(cluster, row["members"], *_rotated(row, year - row["year"]))


def demo_accounts() -> list[tuple[str, str, str, str | None]]:
    """(username, full name, role, unit code): one account per role, plus a second officer
    whose unit leads a cluster this year, so leader rights can be tried too."""
    communes = next(c for c in demo_data.CLUSTERS if c["kind"] == "cum")
    leader, deputy = _rotated(communes, max(0, local_today().year - communes["year"]))
    plain_member = next(code for code in communes["members"] if code not in (leader, deputy))
    return [
        ("thuongtruc", "Nguyễn Thị Thu Hà", Role.ADMIN, "SNV"),
        ("canbo", "Lò Văn Hùng", Role.UNIT_OFFICER, plain_member),
        ("cumtruong", "Tẩn Thị Mai", Role.UNIT_OFFICER, leader),
        ("hoidong", "Trần Văn Quang", Role.COUNCIL_MEMBER, "STC"),
        # Two more council members, so council scores have a mean and a spread.
        ("hoidong2", "Phạm Thị Lan", Role.COUNCIL_MEMBER, "SYT"),
        ("hoidong3", "Hoàng Văn Minh", Role.COUNCIL_MEMBER, "SGDDT"),
    ]


def _load_users(summary: DemoSummary) -> None:
    for username, full_name, role, unit_code in demo_accounts():
        unit = unit_by_code(unit_code) if unit_code else None
        if db.session.scalar(select(User).where(User.username == username)) is None:
            user = User(username=username, full_name=full_name, role=role, unit=unit)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
        summary.accounts.append((username, str(Role.LABELS[role]), unit.name if unit else ""))


def load() -> DemoSummary:
    """Add the demo setting to the database (idempotent) and commit."""
    summary = DemoSummary()
    _load_units()
    _load_clusters()
    _load_users(summary)
    db.session.flush()
    admin = db.session.scalar(select(User).where(User.username == "thuongtruc"))
    demo_campaigns.load(admin)
    demo_surveys.load(admin)
    demo_awards.load(admin)
    demo_showcase.load(admin)
    demo_wrapup.load(admin)
    db.session.commit()
    summary.units = db.session.scalar(select(func.count()).select_from(Unit))
    summary.clusters = db.session.scalar(select(func.count()).select_from(Cluster))
    summary.users = db.session.scalar(select(func.count()).select_from(User))
    summary.campaigns = db.session.scalar(select(func.count()).select_from(Campaign))
    return summary
