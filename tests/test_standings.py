"""Leaderboards as people see them: ranks, grades, movement, polling, display, exports."""

from __future__ import annotations

import csv
import io
import warnings
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from emulation.accounts.models import Role
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.scoring import sheets
from emulation.scoring.models import ScoreEntry, Stage
from emulation.standings import service as standings
from tests.factories import add_criterion, make_campaign, make_cluster, make_unit, make_user

GRADES = [
    {"name": "Xuất sắc", "min": 90, "quota_pct": 25},
    {"name": "Tốt", "min": 80},
    {"name": "Khá", "min": 65},
    {"name": "Trung bình", "min": 0},
]


def setting(
    names=("Phường Đông Phong", "Phường Tân Phong", "Xã Bình Lư", "Xã Sì Lở Lầu"),
    cluster_name="Cụm thi đua các xã, phường số 1",
):
    today = local_today()
    units = [make_unit(name) for name in names]
    cluster = make_cluster(cluster_name, year=today.year, members=units, leader=units[0])
    campaign = make_campaign(
        clusters=[cluster],
        phases={
            "scoring": (today - timedelta(days=3), today + timedelta(days=10)),
            "wrapup": (today + timedelta(days=11), today + timedelta(days=20)),
        },
    )
    campaign.criteria_set.grades = GRADES
    group = add_criterion(campaign, "1", "Thực hiện nhiệm vụ", 100, section="base")
    leaf = add_criterion(
        campaign, "1.1", "Hội đồng đánh giá", 100, parent=group, scoring_type="council"
    )
    db.session.commit()
    return campaign, units, leaf


def score(campaign, unit, leaf, council: str, *, own: str | None = None, stage=Stage.APPROVED):
    """A sheet with a self-score and one council member's number, at `stage`."""
    sheet = sheets.ensure_sheet(campaign, unit)
    for entry_stage, key, value in ((Stage.SELF, 0, own or council), (Stage.COUNCIL, 1, council)):
        db.session.add(
            ScoreEntry(
                sheet=sheet,
                criterion=leaf,
                stage=entry_stage,
                scorer_key=key,
                value={"points": value},
                points=Decimal(value),
            )
        )
    sheet.stage = stage
    db.session.commit()
    return sheet


@pytest.fixture
def admin(app):
    return make_user("thuongtruc", Role.ADMIN)


def test_official_board_ranks_the_published_with_grades_and_quota(client, admin):
    campaign, units, leaf = setting()
    for unit, points in zip(units, ("95", "92", "84", "70"), strict=True):
        score(campaign, unit, leaf, points)
    score(campaign, make_unit("Xã chưa công bố"), leaf, "99", stage=Stage.COUNCIL)
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    page = client.get(f"/campaigns/{campaign.slug}/standings").get_data(as_text=True)
    assert "Kết quả chính thức" in page and "Cụm thi đua các xã, phường số 1" in page
    order = [page.index(u.name) for u in units]
    assert order == sorted(order)  # 95, 92, 84, 70 from the top
    assert "Xã chưa công bố" not in page  # not yet published
    board = standings.board(campaign)
    grades = [row.grade for row in board.groups[0].rows]
    # A 25 % quota of Xuất sắc admits one of four: 92 drops to Tốt, marked as such.
    assert grades == ["Xuất sắc", "Tốt", "Tốt", "Khá"]
    assert board.groups[0].rows[1].dropped_by_quota and "(theo tỷ lệ)" in page


def test_movement_since_the_previous_publication(client, admin):
    campaign, units, leaf = setting()
    for unit, points in zip(units[:2], ("80", "70"), strict=True):
        score(campaign, unit, leaf, points)
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    first = standings.board(campaign)
    assert [r.movement for r in first.groups[0].rows] == [None, None]  # both new
    score(campaign, units[2], leaf, "90")
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    rows = {r.name: r for r in standings.board(campaign).groups[0].rows}
    assert rows[units[2].name].rank == 1 and rows[units[2].name].movement is None
    assert rows[units[0].name].movement == -1 and rows[units[1].name].movement == -1
    page = client.get(f"/campaigns/{campaign.slug}/standings").get_data(as_text=True)
    assert "↓ 1" in page and "Mới" in page


def test_provisional_board_is_for_signed_in_users_and_shows_submitted_self_scores(client):
    campaign, units, leaf = setting()
    score(campaign, units[0], leaf, "60", own="88", stage=Stage.LEADER)  # submitted
    score(campaign, units[1], leaf, "60", own="99", stage=Stage.SELF)  # still being typed
    url = f"/campaigns/{campaign.slug}/standings?kind=provisional"
    assert client.get(url).status_code == 302  # to the login page
    make_user("canbo", unit=units[1])
    client.login("canbo")
    page = client.get(url).get_data(as_text=True)
    assert "Tạm tính theo điểm tự chấm" in page and "88,00" in page
    assert "99,00" not in page  # a self-score still open stays hidden


def test_an_unchanged_poll_answers_204_and_a_change_brings_the_new_board(client, admin):
    campaign, units, leaf = setting()
    score(campaign, units[0], leaf, "80")
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    page = client.get(f"/campaigns/{campaign.slug}/standings").get_data(as_text=True)
    poll_url = page.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert 'hx-trigger="every 5s [!document.hidden]"' in page and 'hx-sync="this:drop"' in page
    unchanged = client.get(poll_url)
    assert unchanged.status_code == 204 and unchanged.data == b""
    score(campaign, units[1], leaf, "90")
    sheets.publish_approved(campaign, admin)  # an audited change: the token moves on commit
    db.session.commit()
    changed = client.get(poll_url)
    assert changed.status_code == 200 and units[1].name in changed.get_data(as_text=True)
    new_url = changed.get_data(as_text=True).split('hx-get="', 1)[1].split('"', 1)[0]
    assert client.get(new_url.replace("&amp;", "&")).status_code == 204


def test_every_score_write_moves_the_token(app, s):
    """Each write site that can change a score deletes the cached token when it commits."""
    campaign, sheet = s["campaign"], s["sheet"]

    def token():
        return standings.campaign_token(campaign.slug)[2]

    before = token()
    sheets.save_entry(sheet, s["canbo"], s["ocop"], "3", version=0)
    db.session.commit()
    after_entry = token()
    assert after_entry != before
    sheets.save_scoring_settings(
        campaign, s["admin"], cross_scoring=False, aggregation="median", tolerance=Decimal(1)
    )
    db.session.commit()
    after_settings = token()
    assert after_settings != after_entry
    sheets.return_sheet(
        sheet, s["admin"], "Thiếu minh chứng"
    ) if sheet.stage != Stage.SELF else None
    campaign.criteria_set.updated_at = campaign.criteria_set.updated_at + timedelta(seconds=5)
    db.session.commit()
    assert token() != after_settings
    sheets.save_entry(sheet, s["canbo"], s["council"], "5", version=0)
    db.session.rollback()  # nothing committed: the token stays
    assert standings.campaign_token(campaign.slug)[2] == token()


def test_board_queries_do_not_grow_with_the_units(client, admin, queries):
    counts = []
    for n, name in ((3, "Cụm A"), (12, "Cụm B")):
        campaign, units, leaf = setting([f"Xã {name} {i}" for i in range(n)], name)
        for i, unit in enumerate(units):
            score(campaign, unit, leaf, str(60 + i))
        sheets.publish_approved(campaign, admin)
        db.session.commit()
        with queries() as statements:
            standings.compute_board(campaign, standings.OFFICIAL)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_exports_have_the_columns_of_the_page(client, admin):
    campaign, units, leaf = setting()
    for unit, points in zip(units, ("95", "92", "84", "70"), strict=True):
        score(campaign, unit, leaf, points)
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    response = client.get(f"/campaigns/{campaign.slug}/standings.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[0] == ["Cụm, khối", "Hạng", "Đơn vị", "Tổng điểm", "Xếp loại", "Thay đổi"]
    assert table[1] == [
        "Cụm thi đua các xã, phường số 1",
        "1",
        "Phường Đông Phong",
        "95,00",
        "Xuất sắc",
        "Mới",
    ]
    book = load_workbook(io.BytesIO(client.get(f"/campaigns/{campaign.slug}/standings.xlsx").data))
    sheet = book.active
    assert [c.value for c in sheet[2]] == table[0]
    assert [c.value for c in sheet[6]][:5] == [
        "Cụm thi đua các xã, phường số 1",
        4,
        "Xã Sì Lở Lầu",
        70,
        "Khá",
    ]


def test_public_display_without_login_or_scripts(client, admin):
    today = local_today()
    campaign, units, leaf = setting()
    score(campaign, units[0], leaf, "88")
    second = [make_unit("Sở Tài chính"), make_unit("Sở Nội vụ")]
    offices = make_cluster("Khối các sở", year=today.year, members=second)
    campaign.clusters = [*campaign.clusters, offices]
    score(campaign, second[0], leaf, "91")
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    page = client.get(f"/display/{campaign.slug}").get_data(as_text=True)
    assert "Kết quả chính thức" in page and "Phường Đông Phong" in page and "88,00" in page
    assert "Cập nhật lúc" in page and "display.css" in page
    # With scripts off, a meta refresh turns to the next cluster; htmx does it otherwise.
    assert '<noscript><meta http-equiv="refresh"' in page
    assert 'hx-trigger="every 15s"' in page and "(1/2)" in page
    assert "Sở Tài chính" not in page  # the other cluster comes next
    following = client.get(f"/display/{campaign.slug}?i=1").get_data(as_text=True)
    assert "Sở Tài chính" in following and "(2/2)" in following and "?i=0" in following


def test_the_campaign_chart_and_a_units_profile(client, admin):
    campaign, units, leaf = setting()
    for unit, points in zip(units, ("95", "92", "84", "70"), strict=True):
        score(campaign, unit, leaf, points)
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    page = client.get(f"/campaigns/{campaign.slug}/standings").get_data(as_text=True)
    assert 'alt="Biểu đồ tổng điểm các đơn vị trong phong trào"' in page
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (ư, ặ, …) warns: fail on it
        svg = client.get(f"/campaigns/{campaign.slug}/standings/chart.svg")
        png = client.get(f"/campaigns/{campaign.slug}/standings/chart.png")
    assert svg.headers["Content-Type"] == "image/svg+xml" and b"<svg" in svg.data
    assert png.data.startswith(b"\x89PNG") and "attachment" in png.headers["Content-Disposition"]
    profile = client.get(f"/campaigns/{campaign.slug}/standings/units/{units[2].id}")
    text = profile.get_data(as_text=True)
    assert "Hạng 3 trong Cụm thi đua các xã, phường số 1" in text and "84,00" in text
    assert "1. Thực hiện nhiệm vụ" in text
    chart = client.get(f"/campaigns/{campaign.slug}/standings/units/{units[2].id}/profile.svg")
    assert chart.status_code == 200 and b"<svg" in chart.data
    assert client.get(f"/campaigns/{campaign.slug}/standings/units/999999").status_code == 404


def test_a_draft_campaign_has_no_public_board(client):
    campaign, _units, _leaf = setting()
    campaign.status = "draft"
    db.session.commit()
    assert client.get(f"/campaigns/{campaign.slug}/standings").status_code == 404
    assert client.get(f"/campaigns/{campaign.slug}/standings/fragment").status_code == 404
    assert client.get(f"/display/{campaign.slug}").status_code == 404
