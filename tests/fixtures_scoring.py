"""A scoring setting shared by the sheet tests: a cluster of three wards, scoring open now."""

from datetime import timedelta
from decimal import Decimal

import pytest

from emulation.accounts.models import Role
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.registrations.models import Registration, RegistrationTarget
from emulation.scoring import sheets
from tests.factories import add_criterion, make_campaign, make_cluster, make_unit, make_user


@pytest.fixture
def s(app):
    """A cluster of three wards, scoring open now, a small table and approved targets."""
    today = local_today()
    leader, ward, peer = (
        make_unit("Phường Đoàn Kết"),
        make_unit("Phường Tân Phong"),
        make_unit("Xã Bình Lư"),
    )
    cluster = make_cluster(year=today.year, members=[leader, ward, peer], leader=leader)
    campaign = make_campaign(
        clusters=[cluster],
        phases={"scoring": (today - timedelta(days=3), today + timedelta(days=10))},
    )
    economy = add_criterion(campaign, "1", "Kinh tế", 20)
    grdp = add_criterion(
        campaign,
        "1.1",
        "Tăng trưởng GRDP",
        10,
        parent=economy,
        scoring_type="ratio",
        unit_of_measure="%",
    )
    ocop = add_criterion(
        campaign,
        "1.2",
        "Sản phẩm OCOP",
        10,
        parent=economy,
        scoring_type="count",
        params={"per": 2, "cap": 10},
    )
    admin_group = add_criterion(campaign, "2", "Cải cách hành chính", 10)
    council = add_criterion(
        campaign, "2.1", "Đánh giá của Hội đồng", 10, parent=admin_group, scoring_type="council"
    )
    registration = Registration(campaign=campaign, unit=ward, status="approved")
    registration.targets.append(
        RegistrationTarget(criterion=grdp, target=Decimal("9"), baseline=None)
    )
    db.session.add(registration)
    db.session.commit()
    users = {
        "canbo": make_user("canbo", unit=ward),
        "peer": make_user("peer", unit=peer),
        "cumtruong": make_user("cumtruong", unit=leader),
        "admin": make_user("admin", Role.ADMIN),
        "hd1": make_user("hd1", Role.COUNCIL_MEMBER, unit=make_unit("Sở Tài chính")),
        "hd2": make_user("hd2", Role.COUNCIL_MEMBER, unit=make_unit("Sở Nội vụ")),
        "hd_ward": make_user("hd_ward", Role.COUNCIL_MEMBER, unit=ward),
    }
    sheet = sheets.ensure_sheet(campaign, ward)
    db.session.commit()
    return {
        "campaign": campaign,
        "sheet": sheet,
        "grdp": grdp,
        "ocop": ocop,
        "council": council,
        **users,
    }
