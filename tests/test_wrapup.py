"""The campaign wrap-up page (tổng kết) as people see it: figures computed here from the data
set up, charts, who sees what before and after publication, the standing office's review
with its phase and stale-edit checks, and a number of queries that does not grow with units.

Before the official results are published, anyone other than the standing office and the
council (anonymous visitors and unit officers) gets 403 with a message saying when the page
opens; drafts are 404 as on the campaign's own page."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from emulation.accounts.models import Role, User
from emulation.campaigns.service import campaign_by_slug
from emulation.commendation import decisions, meetings, nominations
from emulation.commendation.models import Award
from emulation.commendation.rulebook import current_rulebook, default_rulebook
from emulation.core import charts
from emulation.core.clock import local_today, utcnow
from emulation.core.extensions import cache, db
from emulation.demo import loader as demo
from emulation.demo import wrapup as demo_wrapup
from emulation.progress.models import Evidence, ProgressReport, ProgressValue
from emulation.registrations.models import Registration, RegistrationTarget
from emulation.scoring import sheets
from emulation.scoring.models import Stage
from emulation.showcase.models import ShowcaseProfile
from emulation.standings import service as standings
from emulation.surveys import builder as survey_builder
from emulation.surveys.models import Survey, SurveyResponse
from emulation.wrapup import service as wrapup
from tests.factories import add_criterion, make_campaign, make_cluster, make_unit, make_user
from tests.test_standings import score

GRADES = [
    {"name": "Xuất sắc", "min": 90},
    {"name": "Tốt", "min": 80},
    {"name": "Khá", "min": 65},
    {"name": "Trung bình", "min": 0},
]
WARDS = {
    "Phường Đông Phong": "88.5",
    "Phường Tân Phong": "84",
    "Xã Bình Lư": "72",
    "Xã Sì Lở Lầu": "60",
}
AGENCIES = {"Sở Xây dựng": "90", "Sở Công Thương": "66.75"}
CLUSTER_A, CLUSTER_B = "Cụm thi đua các xã, phường số 1", "Khối các sở, ngành"
DECISION = "125/QĐ-UBND"
GK = "Giấy khen"


def vn(value: Decimal, places: int = 2) -> str:
    """A number as the page writes it: rounded half up, decimal comma."""
    exact = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{exact}".replace(".", ",")


def grade_of(points: Decimal) -> str:
    return next(g["name"] for g in GRADES if points >= g["min"])


def _user(username: str, role: str, **fields) -> User:
    found = db.session.query(User).filter_by(username=username).one_or_none()
    return found or make_user(username, role, **fields)


def setting(*, stage=Stage.APPROVED, clusters=(WARDS, AGENCIES), names=(CLUSTER_A, CLUSTER_B)):
    """A launched campaign scored by the council (approved, not yet published): clusters of
    units with their council points, a group of quantitative criteria and the rulebook."""
    today = local_today()
    admin = _user("thuongtruc", Role.ADMIN, full_name="Nguyễn Thị Thu Hà")
    if current_rulebook("Lai Châu") is None:
        default_rulebook(effective_from=today - timedelta(days=400))
    made = []
    for name, points in zip(names, clusters, strict=False):
        units = [make_unit(unit_name) for unit_name in points]
        made.append((make_cluster(name, year=today.year, members=units, leader=units[0]), units))
    campaign = make_campaign(
        name="Phong trào thi đua đặc biệt chào mừng 20 năm tái lập tỉnh",
        clusters=[cluster for cluster, _units in made],
        phases={
            "scoring": (today - timedelta(days=30), today - timedelta(days=5)),
            "wrapup": (today - timedelta(days=3), today + timedelta(days=10)),
        },
    )
    campaign.criteria_set.grades = GRADES
    group = add_criterion(campaign, "1", "Thực hiện nhiệm vụ chính trị", 90, section="base")
    leaf = add_criterion(
        campaign, "1.1", "Hội đồng đánh giá", 90, parent=group, scoring_type="council"
    )
    economy = add_criterion(campaign, "2", "Phát triển kinh tế, giảm nghèo", 10, section="base")
    grdp = add_criterion(
        campaign, "2.1", "Tăng trưởng GRDP", 5, parent=economy, scoring_type="ratio"
    )
    poverty = add_criterion(
        campaign,
        "2.2",
        "Tỷ lệ hộ nghèo",
        5,
        parent=economy,
        scoring_type="ratio",
        params={"direction": "down", "over_rate": 0, "over_cap": 0},
    )
    points = {}
    for (_cluster, units), values in zip(made, clusters, strict=True):
        for unit in units:
            score(campaign, unit, leaf, values[unit.name], stage=stage)
            points[unit.name] = Decimal(values[unit.name])
    db.session.commit()
    return {
        "campaign": campaign,
        "leaf": leaf,
        "admin": admin,
        "units": {u.name: u for _c, units in made for u in units},
        "points": points,
        "grdp": grdp,
        "poverty": poverty,
    }


def publish(s):
    sheets.publish_approved(s["campaign"], s["admin"])
    db.session.commit()


def _report(registration, label, days_ago, values, status="submitted", evidence=0):
    today = local_today()
    report = ProgressReport(
        registration=registration,
        period_label=label,
        period_end=today - timedelta(days=days_ago),
        status=status,
        submitted_at=utcnow() if status == "submitted" else None,
    )
    for target, actual in values:
        report.values.append(ProgressValue(target=target, actual=Decimal(actual)))
    for _n in range(evidence):
        report.evidence.append(
            Evidence(
                original_name="bien-ban.pdf",
                stored_name=uuid.uuid4().hex,
                content_type="application/pdf",
                size=1000,
                sha256="0" * 64,
            )
        )
    db.session.add(report)


def add_targets(s):
    """Approved registrations with targets and reports. What counts: 4 targets of approved
    registrations, 3 reported in a submitted report, 2 reached by the latest such report;
    3 submitted reports with 2 evidence files (a draft report and its file do not count)."""
    units, grdp, poverty = s["units"], s["grdp"], s["poverty"]

    def registration(unit, status, targets):
        found = Registration(campaign=s["campaign"], unit=unit, status=status)
        for criterion, baseline, target in targets:
            found.targets.append(
                RegistrationTarget(
                    criterion=criterion,
                    baseline=None if baseline is None else Decimal(baseline),
                    target=Decimal(target),
                )
            )
        db.session.add(found)
        return found

    first = registration(
        units["Phường Đông Phong"], "approved", [(grdp, None, "9"), (poverty, "4.5", "3.2")]
    )
    second = registration(units["Phường Tân Phong"], "approved", [(grdp, None, "10")])
    registration(units["Xã Bình Lư"], "approved", [(grdp, None, "7")])  # never reported
    registration(units["Sở Xây dựng"], "submitted", [(grdp, None, "8")])  # not approved
    db.session.flush()
    grdp_1, poverty_1 = first.targets
    [grdp_2] = second.targets
    # 9.5 ≥ 9 reached; the poverty rate fell to 3.0, below the 3.2 aimed at: reached.
    _report(first, "Năm", 10, [(grdp_1, "9.5"), (poverty_1, "3.0")], evidence=2)
    # Reached at mid-year, then 8 < 10 in the latest report: not reached. A later draft
    # saying 12 does not count.
    _report(second, "6 tháng", 120, [(grdp_2, "10.5")])
    _report(second, "Năm", 10, [(grdp_2, "8")])
    _report(second, "Bổ sung", 2, [(grdp_2, "12")], status="draft", evidence=1)
    db.session.commit()


def add_survey(s):
    """An open survey with three answers to one satisfaction question: 5, 4 and 2."""
    today = local_today()
    campaign = s["campaign"]
    survey = survey_builder.create_survey(campaign, title="Khảo sát bộ phận một cửa", code="SIPAS")
    db.session.flush()
    survey_builder.save_question(
        survey,
        None,
        survey_builder.QuestionInput(text="Thái độ công chức", kind="likert", code="C1"),
    )
    survey_builder.change_status(survey, "open")
    db.session.flush()
    for value in (5, 4, 2):
        db.session.add(
            SurveyResponse(
                id=uuid.uuid4().hex,
                survey_id=survey.id,
                unit_id=next(iter(s["units"].values())).id,
                channel="token",
                submitted_on=today,
                answers={"C1": value},
            )
        )
    db.session.commit()


def add_commendation(s, refused=1):
    """Proposals taken into the final list; one council member votes for every nominee but
    `refused` Giấy khen ones; the vote is closed and the Bằng khen decided."""
    today = local_today()
    campaign, admin = s["campaign"], s["admin"]
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    member = _user("hoidong", Role.COUNCIL_MEMBER, full_name="Trần Văn Quang")
    nominations.nomination_list(campaign).posting_from = today - timedelta(days=30)
    meeting = meetings.create_meeting(campaign, admin, held_on=today, chair="Chủ tịch UBND tỉnh")
    db.session.flush()
    meetings.set_attendance(meeting, admin, member.id, True)
    meetings.open_voting(meeting, admin)
    for nominee in nominations.finalized(campaign):
        no = nominee.award_type.code == "GK" and refused > 0
        refused -= no
        meetings.cast(meeting, member, nominee, "disagree" if no else "agree")
    meetings.close_voting(meeting, admin)
    book = nominations.rulebook_for(campaign)
    decisions.create_decision(
        campaign,
        admin,
        award_type=book.type_by_code("BK_TINH"),
        number=DECISION,
        signed_on=today,
        signer="Chủ tịch UBND tỉnh",
    )
    db.session.commit()


def add_showcase(s):
    campaign, unit = s["campaign"], s["units"]["Xã Bình Lư"]
    for slug, title, published in (
        ("dan-van-kheo", "Mô hình “Dân vận khéo” ở bản vùng cao", True),
        ("chua-cong-bo", "Hồ sơ chưa công bố", False),
    ):
        db.session.add(
            ShowcaseProfile(
                slug=slug,
                kind="model",
                unit=unit,
                title=title,
                campaign=campaign,
                year=campaign.year,
                field="dan_van",
                published=published,
                published_at=utcnow() if published else None,
            )
        )
    db.session.commit()


def full(stage=Stage.APPROVED, **options):
    s = setting(stage=stage, **options)
    publish(s)
    add_targets(s)
    add_survey(s)
    add_commendation(s)
    add_showcase(s)
    return s


def url(s, tail=""):
    return f"/campaigns/{s['campaign'].slug}/tong-ket{tail}"


def text_of(page: str) -> str:
    """The page's text with tags removed and spaces collapsed, as a reader sees it."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


# --- the figures ------------------------------------------------------------------------------


def test_the_page_shows_the_figures_of_the_published_campaign(client):
    today = local_today()
    s = full()
    page = client.get(url(s)).get_data(as_text=True)
    seen = text_of(page)
    assert "Tổng kết phong trào" in seen and "Tạm thời" not in seen

    # Participants and registrations.
    assert "6 đơn vị tham gia" in seen and "2 cụm, khối thi đua" in seen
    assert "4 bản đăng ký thi đua" in seen
    assert "Đã duyệt 3" in seen and "Đã gửi, chờ duyệt 1" in seen and "Chưa đăng ký 2" in seen

    # Targets: 4 registered, 3 reported, 2 reached (50,0 %), 3 reports, 2 evidence files.
    assert "4 chỉ tiêu đã đăng ký" in seen and "3 chỉ tiêu đã báo cáo kết quả" in seen
    assert "2 chỉ tiêu đạt hoặc vượt (50,0 %)" in seen
    assert "3 báo cáo tiến độ đã gửi" in seen and "2 tệp minh chứng" in seen
    assert "2 Phát triển kinh tế, giảm nghèo 4 3 2" in seen

    # Official results: count, mean, highest, lowest, grades, clusters and their leaders.
    points = s["points"]
    totals = list(points.values())
    assert f"{len(totals)} đơn vị có kết quả chính thức" in seen
    assert f"{vn(sum(totals) / len(totals))} điểm trung bình (thang 100)" in seen
    assert vn(sum(totals) / len(totals)) == "76,88"
    assert (
        f"{vn(max(totals))} điểm cao nhất" in seen and f"{vn(min(totals))} điểm thấp nhất" in seen
    )
    for grade in GRADES:
        count = sum(1 for p in totals if grade_of(p) == grade["name"])
        share = vn(Decimal(count * 100) / len(totals), 1)
        assert f"{grade['name']} {count} {share} %" in seen
    for name, members in ((CLUSTER_A, WARDS), (CLUSTER_B, AGENCIES)):
        values = [Decimal(v) for v in members.values()]
        leader = max(members, key=lambda unit: Decimal(members[unit]))
        top = Decimal(members[leader])
        assert (
            f"{name} {len(values)} {vn(sum(values) / len(values))} "
            f"{leader} ({vn(top)}, {grade_of(top)})"
        ) in seen

    # Surveys: 3 answers 5, 4, 2 → 2 of 3 satisfied, mean 11/3.
    assert "1 khảo sát" in seen and "3 phiếu trả lời" in seen
    assert f"{vn(Decimal(200) / 3)} (chưa đủ mẫu) {vn(Decimal(11) / 3)}" in seen

    # Commendation: nominees per award type from the list, passed, awards and the decision.
    listed = nominations.nominations_of(campaign_by_slug(s["campaign"].slug))
    by_type: dict[str, int] = {}
    for nominee in listed:
        by_type[nominee.award_type.name] = by_type.get(nominee.award_type.name, 0) + 1
    awarded = db.session.query(Award).filter_by(campaign_id=s["campaign"].id).all()
    assert awarded and {a.decision_number for a in awarded} == {DECISION}
    assert by_type.get(GK, 0) >= 1  # the one refused at the vote is a Giấy khen
    for name, count in by_type.items():
        passed = count - (1 if name == GK else 0)
        given = sum(1 for a in awarded if a.award_name == name)
        decision = f"Số {DECISION} ngày {today:%d/%m/%Y}" if given else "chưa có"
        assert f"{name} {count} {passed} {given} {decision}" in seen
    assert f"{len(listed)} đề nghị khen thưởng" in seen
    assert f"{len(listed) - 1} được Hội đồng thống nhất đề nghị" in seen
    assert f"{len(awarded)} tập thể, cá nhân được khen thưởng" in seen
    for award in awarded:
        assert f"<li>{award.unit.name}</li>" in page

    # The showcase shows the published example only; no review written yet.
    assert "Mô hình “Dân vận khéo” ở bản vùng cao" in seen and "Hồ sơ chưa công bố" not in seen
    assert "Thường trực Hội đồng chưa viết phần đánh giá tổng kết" in seen
    assert "Sửa phần đánh giá" not in seen  # not for visitors


def test_sections_without_data_say_so(client):
    s = setting(clusters=({"Phường Đông Phong": "81"},))
    publish(s)
    seen = text_of(client.get(url(s)).get_data(as_text=True))
    assert "Chưa có đơn vị nào đăng ký thi đua." in seen
    assert "Không có chỉ tiêu định lượng nào trong các bản đăng ký đã duyệt" in seen
    assert "Phong trào không có khảo sát nào." in seen
    assert "Chưa có đề nghị khen thưởng nào." in seen
    assert "Chưa có điển hình tiên tiến nào của phong trào được giới thiệu." in seen
    assert "1 đơn vị có kết quả chính thức" in seen


def test_drafts_working_lists_and_open_link_answers_are_not_counted(client):
    today = local_today()
    s = setting()
    publish(s)
    campaign, units = s["campaign"], s["units"]
    db.session.add(Registration(campaign=campaign, unit=units["Xã Sì Lở Lầu"], status="draft"))
    db.session.add(Registration(campaign=campaign, unit=units["Sở Xây dựng"], status="submitted"))
    nominations.apply_proposals(campaign, s["admin"])  # the office's working list, not final
    add_survey(s)  # three answers by token: 5, 4 and 2
    survey = db.session.query(Survey).filter_by(campaign_id=campaign.id).one()
    assert not survey.open_in_index
    for _n in range(6):  # anyone, any number of times: not in the index
        db.session.add(
            SurveyResponse(
                id=uuid.uuid4().hex,
                survey_id=survey.id,
                unit_id=units["Phường Đông Phong"].id,
                channel="open",
                submitted_on=today,
                answers={"C1": 1},
            )
        )
    db.session.commit()
    seen = text_of(client.get(url(s)).get_data(as_text=True))
    assert "1 bản đăng ký thi đua" in seen  # the draft is listed, not counted as sent
    assert "Đang soạn 1" in seen and "Chưa đăng ký 4" in seen
    assert "Chưa có đề nghị khen thưởng nào." in seen
    assert "9 phiếu trả lời" in seen
    assert f"{vn(Decimal(200) / 3)} (chưa đủ mẫu) {vn(Decimal(11) / 3)}" in seen


def test_charts_are_svg_with_their_alt_text_on_the_page(client):
    s = full()
    page = client.get(url(s)).get_data(as_text=True)
    totals = list(s["points"].values())
    counts = "; ".join(
        f"{g['name']}: {sum(1 for p in totals if grade_of(p) == g['name'])}" for g in GRADES
    )
    assert f'alt="Biểu đồ cột số đơn vị theo xếp loại, {counts}."' in page
    assert (
        'alt="Biểu đồ số chỉ tiêu đạt trên số chỉ tiêu đăng ký theo nhóm tiêu chí, '
        '2. Phát triển kinh tế, giảm nghèo: 2/4."'
    ) in page
    assert (
        f'alt="Biểu đồ điểm trung bình chính thức theo cụm, khối, {CLUSTER_A}: 76,13; '
        f'{CLUSTER_B}: 78,38."'
    ) in page
    sources = re.findall(r'<img src="([^"]+/tong-ket/bieu-do/[^"]+\.svg[^"]*)"', page)
    assert len(sources) == 3
    for source in sources:
        response = client.get(source.replace("&amp;", "&"))
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        body = response.get_data(as_text=True)
        assert "<svg" in body and "<text" not in body  # text drawn as outlines
    png = client.get(url(s, "/bieu-do/xep-loai.png"))
    assert png.status_code == 200 and png.data[:4] == b"\x89PNG"
    assert client.get(url(s, "/bieu-do/khong-co.svg")).status_code == 404


def test_a_chart_is_drawn_once_per_version(client, monkeypatch):
    s = full()
    drawn = []
    real = charts.svg
    monkeypatch.setattr(charts, "svg", lambda *args: drawn.append(1) or real(*args))
    chart = url(s, "/bieu-do/diem-cum.svg")
    first = client.get(chart).data
    assert client.get(chart).data == first and len(drawn) == 1
    # A new publication moves the standings token: the chart is drawn again.
    score(s["campaign"], make_unit("Xã Mới"), s["leaf"], "70")
    publish(s)
    client.get(chart)
    assert len(drawn) == 2


# --- who sees what ----------------------------------------------------------------------------


def test_before_publication_only_the_office_and_the_council_see_a_provisional_page(client):
    s = setting()
    make_user("hoidong", Role.COUNCIL_MEMBER)
    make_user("canbo", unit=s["units"]["Xã Bình Lư"])
    campaign_page = client.get(f"/campaigns/{s['campaign'].slug}").get_data(as_text=True)
    assert f'href="{url(s)}"' not in campaign_page  # no link to a page the visitor cannot open
    refused = client.get(url(s))
    assert refused.status_code == 403
    assert "công khai khi Hội đồng công bố kết quả chính thức" in refused.get_data(as_text=True)
    assert client.get(url(s, "/bieu-do/xep-loai.svg")).status_code == 403
    client.login("canbo")
    assert client.get(url(s)).status_code == 403
    client.submit("/logout")
    client.login("hoidong")
    page = text_of(client.get(url(s)).get_data(as_text=True))
    assert "Tạm thời" in page and "Kết quả chính thức chưa được công bố" in page
    assert "Chưa có kết quả chấm điểm nào được công bố." in page
    client.submit("/logout")

    publish(s)
    page = client.get(url(s))
    assert page.status_code == 200 and "Tạm thời" not in page.get_data(as_text=True)
    public = client.get(f"/campaigns/{s['campaign'].slug}").get_data(as_text=True)
    assert f'href="{url(s)}"' in public and "Tổng kết" in public


def test_drafts_are_not_found(client):
    units = [make_unit("Phường Đông Phong")]
    campaign = make_campaign(units=units, status="draft")
    assert client.get(f"/campaigns/{campaign.slug}/tong-ket").status_code == 404


# --- the review -------------------------------------------------------------------------------

TEXTS = {
    "achievements": "Phong trào được triển khai sâu rộng; 100 % đơn vị đăng ký thi đua.",
    "shortcomings": "Một số đơn vị gửi báo cáo chậm.",
    "lessons": "Người đứng đầu trực tiếp chỉ đạo, gương mẫu.",
    "next_steps": "Nhân rộng các mô hình, cách làm hay.",
}


def test_only_the_standing_office_edits_the_review_in_place(client):
    s = full()
    make_user("hoidong2", Role.COUNCIL_MEMBER)
    post = url(s, "/danh-gia")
    assert client.submit(post, {"version": "0", **TEXTS}).status_code == 302  # to sign in
    client.login("hoidong2")
    assert client.htmx("POST", post, {"version": "0", **TEXTS}).status_code == 403
    assert "Sửa phần đánh giá" not in client.get(url(s)).get_data(as_text=True)
    client.submit("/logout")

    client.login("thuongtruc")
    office_page = client.get(url(s)).get_data(as_text=True)
    assert "Sửa phần đánh giá" in office_page
    archive = re.search(r'href="([^"]+archive\.zip)"', office_page).group(1)
    assert client.get(archive).mimetype == "application/zip"  # the whole campaign, kept
    form = client.htmx("GET", url(s, "/danh-gia?sua=1")).get_data(as_text=True)
    assert form.lstrip().startswith("{#") is False and 'id="danh-gia"' in form
    assert 'name="lessons"' in form and 'name="version" type="hidden" value="0"' in form
    saved = client.htmx("POST", post, {"version": "0", **TEXTS})
    body = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "Đã lưu phần đánh giá tổng kết." in body
    assert "<html" not in body and TEXTS["lessons"] in body
    client.submit("/logout")

    public_page = client.get(url(s)).get_data(as_text=True)
    assert "archive.zip" not in public_page
    page = text_of(public_page)
    for text in TEXTS.values():
        assert text in page
    assert "Bài học kinh nghiệm Người đứng đầu trực tiếp chỉ đạo, gương mẫu." in page


def test_without_htmx_the_review_form_posts_and_redirects(client):
    s = full()
    client.login("thuongtruc")
    page = client.get(url(s, "?sua=1")).get_data(as_text=True)
    assert 'action="' + url(s, "/danh-gia") + '"' in page and 'name="achievements"' in page
    saved = client.submit(url(s, "/danh-gia"), {"version": "0", **TEXTS})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#danh-gia")
    assert wrapup.review_of(s["campaign"]).lessons == TEXTS["lessons"]


def test_outside_the_wrapup_phase_the_review_is_refused_with_the_dates(client):
    today = local_today()
    s = full()
    wrapup_phase = next(p for p in s["campaign"].phases if p.kind == "wrapup")
    wrapup_phase.starts_on, wrapup_phase.ends_on = today + timedelta(5), today + timedelta(20)
    db.session.commit()
    client.login("thuongtruc")
    page = text_of(client.get(url(s)).get_data(as_text=True))
    opens = (today + timedelta(days=5)).strftime("%d/%m/%Y")
    closes = (today + timedelta(days=20)).strftime("%d/%m/%Y")
    assert f"giai đoạn tổng kết ({opens} – {closes})" in page and "Sửa phần đánh giá" not in page
    refused = client.htmx("POST", url(s, "/danh-gia"), {"version": "0", **TEXTS})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and f"({opens} – {closes})" in body
    assert TEXTS["lessons"] in body  # what was typed stays in the form
    assert wrapup.review_of(s["campaign"]) is None

    # Once the campaign is closed the review can be written.
    s["campaign"].status = "closed"
    db.session.commit()
    saved = client.htmx("POST", url(s, "/danh-gia"), {"version": "0", **TEXTS})
    assert "Đã lưu phần đánh giá tổng kết." in saved.get_data(as_text=True)


def test_a_stale_edit_is_refused_and_shows_the_newer_text(client):
    s = full()
    other = make_user("thuongtruc2", Role.ADMIN)
    client.login("thuongtruc")
    form = client.htmx("GET", url(s, "/danh-gia?sua=1")).get_data(as_text=True)
    assert 'value="0"' in form
    # Someone else saves first.
    wrapup.save_review(s["campaign"], other, {**TEXTS, "lessons": "Bài học của người khác."}, 0)
    db.session.commit()
    mine = {**TEXTS, "lessons": "Bài học tôi vừa gõ."}
    refused = client.htmx("POST", url(s, "/danh-gia"), {"version": "0", **mine})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "vừa được người khác lưu" in body
    assert re.search(
        r'<textarea[^>]*name="lessons"[^>]*>\s*Bài học của người khác\.</textarea>', body
    )
    assert "Nội dung bạn vừa nhập (chưa lưu):" in body and "Bài học tôi vừa gõ." in body
    assert 'name="version" type="hidden" value="1"' in body
    assert wrapup.review_of(s["campaign"]).lessons == "Bài học của người khác."
    # Saved again on the newer version, it goes through.
    saved = client.htmx("POST", url(s, "/danh-gia"), {"version": "1", **mine})
    assert "Đã lưu phần đánh giá tổng kết." in saved.get_data(as_text=True)
    assert wrapup.review_of(s["campaign"]).lessons == "Bài học tôi vừa gõ."


def test_save_review_checks_role_version_and_length(app):
    s = full()
    council = make_user("hoidong3", Role.COUNCIL_MEMBER)
    with pytest.raises(wrapup.NotAllowed):
        wrapup.save_review(s["campaign"], council, TEXTS, 0)
    with pytest.raises(wrapup.StaleReview):
        wrapup.save_review(s["campaign"], s["admin"], TEXTS, 3)
    with pytest.raises(wrapup.ReviewInvalid) as caught:
        wrapup.save_review(s["campaign"], s["admin"], {**TEXTS, "shortcomings": "x" * 20_001}, 0)
    assert caught.value.errors == {"shortcomings": "Tối đa 20.000 ký tự; hiện có 20.001."}
    review = wrapup.save_review(s["campaign"], s["admin"], {"lessons": " Bài học\r\n"}, 0)
    db.session.commit()
    assert (review.version, review.lessons, review.achievements) == (1, "Bài học", "")


# --- queries ----------------------------------------------------------------------------------


def scaled(n: int, prefix: str):
    """A published campaign with n units in two clusters, each unit registered with a target
    reported on (with evidence), answered about in a survey, and the commendation done."""
    half = n // 2
    first = {f"{prefix} phường {i}": str(90 - i) for i in range(half)}
    second = {f"{prefix} xã {i}": str(85 - i) for i in range(n - half)}
    s = setting(clusters=(first, second), names=(f"{prefix} cụm 1", f"{prefix} cụm 2"))
    publish(s)
    for unit in s["units"].values():
        registration = Registration(campaign=s["campaign"], unit=unit, status="approved")
        registration.targets.append(RegistrationTarget(criterion=s["grdp"], target=Decimal(9)))
        db.session.add(registration)
        db.session.flush()
        _report(registration, "Năm", 5, [(registration.targets[0], "9.5")], evidence=1)
    db.session.commit()
    add_survey(s)
    add_commendation(s, refused=0)
    return s


def test_the_number_of_queries_does_not_grow_with_the_units(client, queries):
    """Counted twice: with the official board in the cache (as after any earlier visit)
    and with an empty cache, so that the board itself is computed too."""
    counts = []
    for n, prefix in ((4, "Nhỏ"), (16, "Lớn")):
        s = scaled(n, prefix)
        measured = []
        for cold in (False, True):
            if cold:
                cache.clear()
            with queries() as statements:
                response = client.get(url(s))
            assert response.status_code == 200
            seen = text_of(response.get_data(as_text=True))
            assert f"{n} đơn vị có kết quả chính thức" in seen
            measured.append(len(statements))
        counts.append(tuple(measured))
    assert counts[0] == counts[1], counts
    print(f"wrap-up page: {counts[0][0]} queries, {counts[0][1]} with an empty cache")


# --- the demo ---------------------------------------------------------------------------------


def test_the_page_of_the_published_demo_campaign(client):
    demo.load()
    admin = db.session.query(User).filter_by(username="thuongtruc").one()
    review = demo_wrapup.load(admin)
    assert demo_wrapup.load(admin) is review  # idempotent
    db.session.commit()
    campaign = campaign_by_slug("thi-dua-dac-biet-2023")
    response = client.get(f"/campaigns/{campaign.slug}/tong-ket")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    seen = text_of(page)
    assert "Tổng kết phong trào" in seen and "Tạm thời" not in seen
    board = standings.board(campaign)
    assert f"{board.units} đơn vị có kết quả chính thức" in seen
    for group in board.groups:
        assert group.name in seen and f"<strong>{group.rows[0].name}</strong>" in page
    assert "Bài học kinh nghiệm Một là, người đứng đầu cấp ủy" in seen
    sources = re.findall(r'<img src="([^"]+/tong-ket/bieu-do/[^"]+\.svg[^"]*)"', page)
    assert sources
    for source in sources:
        assert client.get(source.replace("&amp;", "&")).mimetype == "image/svg+xml"
