"""Progress reports: achievement, who may report and when, saving, staleness, submitting."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from emulation.accounts.models import Role
from emulation.core.clock import format_date, local_today
from emulation.core.errors import NotAllowed
from emulation.core.extensions import db
from emulation.progress.models import Evidence, ProgressReport, ProgressValue
from emulation.progress.service import (
    ValueInput,
    achievement_percent,
    create_report,
    latest_achievements,
    save_report,
    submit_report,
)
from emulation.registrations.models import Registration, RegistrationTarget
from tests.factories import add_criterion, make_campaign, make_cluster, make_unit, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# --- helpers: an approved registration with quantitative targets ------------------------------


def open_campaign(unit, *, phases=None, status="launched", clusters=()):
    """A launched campaign whose registration window is over and implementation is open."""
    today = local_today()
    if phases is None:
        phases = {
            "registration": (today - timedelta(days=60), today - timedelta(days=31)),
            "implementation": (today - timedelta(days=30), today + timedelta(days=200)),
        }
    return make_campaign(
        units=[unit],
        clusters=list(clusters),
        phases=phases,
        status=status,
        start=today - timedelta(days=90),
    )


def registration_with_targets(unit, campaign=None, *, status="approved", targets=None):
    """The unit's registration with targets: {code: dict(title, baseline, target, …)}."""
    campaign = campaign or open_campaign(unit)
    group = add_criterion(campaign, "1", "Kinh tế", 20)
    registration = Registration(campaign=campaign, unit=unit, status=status)
    targets = targets or {
        "1.1": dict(title="Tăng trưởng GRDP", baseline="5", target="7", uom="%"),
    }
    for code, spec in targets.items():
        criterion = add_criterion(
            campaign,
            code,
            spec["title"],
            10,
            parent=group,
            scoring_type="ratio",
            unit_of_measure=spec.get("uom", ""),
            params={"direction": spec.get("direction", "up")},
        )
        criterion.evidence_required = spec.get("evidence_required", False)
        registration.targets.append(
            RegistrationTarget(
                criterion=criterion,
                baseline=Decimal(spec["baseline"]) if spec.get("baseline") else None,
                target=Decimal(spec["target"]),
                unit_of_measure=spec.get("uom", ""),
                deadline=spec.get("deadline"),
            )
        )
    db.session.add(registration)
    db.session.commit()
    return registration


def target_of(registration, code):
    return next(t for t in registration.targets if t.criterion.code == code)


def report_with(registration, officer, values, *, label="Quý I", end=None, submit=True):
    """A report through the domain, submitted unless told otherwise."""
    today = local_today()
    report = create_report(
        registration,
        officer,
        period_label=label,
        period_end=end or today - timedelta(days=1),
        values={
            target_of(registration, code).id: ValueInput(Decimal(v)) for code, v in values.items()
        },
    )
    db.session.flush()
    if submit:
        submit_report(report, officer)
    db.session.commit()
    return report


def form_data(registration, values, *, label="Quý I/2025", end=None, report=None):
    """The report form as the browser posts it: one row per target, in display order."""
    today = local_today()
    end = end or format_date(today - timedelta(days=1))
    data = {"period_label": label, "period_end": end, "note": ""}
    if report is not None:
        data["version"] = str(report.version)
    for i, target in enumerate(registration.targets):
        data[f"rows-{i}-target_id"] = str(target.id)
        data[f"rows-{i}-actual"] = values.get(target.criterion.code, "")
        data[f"rows-{i}-note"] = ""
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture(autouse=True)
def _evidence_dir(app, tmp_path):
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")


@pytest.fixture
def unit():
    return make_unit("Xã Bình Lư")


@pytest.fixture
def officer(unit):
    return make_user("canbo", unit=unit)


# --- achievement arithmetic --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "baseline", "direction", "expected"),
    [
        # with a baseline: (A − B) / (T − B)
        ("6.5", "7", "5", "up", "75.0"),  # (6,5 − 5) / (7 − 5) = 0,75
        ("8", "7", "5", "up", "150.0"),  # passed the target
        ("4", "7", "5", "up", "-50.0"),  # went backwards
        ("7", "6", "10", "down", "75.0"),  # poverty rate 10 → 6, now 7: (7 − 10)/(6 − 10)
        ("5", "6", "10", "down", "125.0"),
        # without a baseline: A / T up, T / A down
        ("35", "40", None, "up", "87.5"),
        ("1", "3", None, "up", "33.3"),
        ("50", "40", None, "up", "125.0"),
        ("8", "6", None, "down", "75.0"),
        ("4", "6", None, "down", "150.0"),
        ("0", "2", None, "down", "100.0"),  # no accidents against "at most 2"
        # a baseline equal to the target says nothing; the plain ratio is used
        ("9", "10", "10", "up", "90.0"),
    ],
)
def test_achievement_percent(actual, target, baseline, direction, expected):
    result = achievement_percent(
        Decimal(actual), Decimal(target), Decimal(baseline) if baseline else None, direction
    )
    assert result == Decimal(expected)


def test_achievement_is_unknown_without_an_actual_or_a_usable_target():
    assert achievement_percent(None, Decimal(7), Decimal(5)) is None
    assert achievement_percent(Decimal(3), None) is None
    assert achievement_percent(Decimal(3), Decimal(0)) is None


def test_latest_achievements_take_the_latest_submitted_value_and_flag_overdue(app, unit, officer):
    today = local_today()
    registration = registration_with_targets(
        unit,
        targets={
            "1.1": dict(title="Tăng trưởng GRDP", baseline="5", target="7", uom="%"),
            "1.2": dict(
                title="Tỷ lệ hộ nghèo",
                baseline="10",
                target="6",
                uom="%",
                direction="down",
                deadline=today - timedelta(days=1),
            ),
            "1.3": dict(
                title="Km đường giao thông nông thôn",
                target="40",
                uom="km",
                deadline=today - timedelta(days=1),
            ),
        },
    )
    report_with(
        registration, officer, {"1.1": "5.5", "1.2": "9"}, label="Quý I", end=today - timedelta(60)
    )
    report_with(
        registration, officer, {"1.1": "6.5", "1.3": "40"}, label="Quý II", end=today - timedelta(1)
    )
    report_with(registration, officer, {"1.1": "9"}, label="Quý III (nháp)", submit=False)

    result = latest_achievements(db.session.get(Registration, registration.id))
    grdp, poverty, roads = (target_of(registration, c).id for c in ("1.1", "1.2", "1.3"))
    assert result[grdp].percent == Decimal("75.0")  # Quý II; the draft does not count
    assert result[grdp].actual == Decimal("6.5") and not result[grdp].overdue
    assert result[poverty].percent == Decimal("25.0")  # from Quý I: (9 − 10)/(6 − 10)
    assert result[poverty].overdue  # deadline passed below 100 %
    assert result[roads].percent == Decimal("100.0") and not result[roads].overdue


def test_a_target_never_reported_is_overdue_after_its_deadline(app, unit):
    today = local_today()
    registration = registration_with_targets(
        unit,
        targets={"1.1": dict(title="GRDP", target="7", deadline=today - timedelta(days=3))},
    )
    (achievement,) = latest_achievements(registration).values()
    assert achievement.percent is None and achievement.overdue


# --- the progress page ------------------------------------------------------------------------


def test_progress_page_shows_percent_bar_and_overdue_label(client, unit, officer):
    today = local_today()
    registration = registration_with_targets(
        unit,
        targets={
            "1.1": dict(title="Tăng trưởng GRDP", target="40", uom="km"),
            "1.2": dict(
                title="Tỷ lệ hộ nghèo", target="6", uom="%", deadline=today - timedelta(days=2)
            ),
        },
    )
    report_with(registration, officer, {"1.1": "35", "1.2": "3"})
    client.login("canbo")
    page = client.get(f"/registrations/{registration.id}/progress").get_data(as_text=True)
    assert "87,5 %" in page  # 35 / 40
    assert '<progress value="87.5" max="100"' in page
    assert "50,0 %" in page and "Quá hạn" in page
    assert "1 chỉ tiêu quá hạn mà chưa đạt:" in page
    assert "Quý I" in page and "Đã gửi" in page


def test_bar_is_capped_but_the_number_is_not(client, unit, officer):
    registration = registration_with_targets(
        unit, targets={"1.1": dict(title="Km đường", target="40", uom="km")}
    )
    report_with(registration, officer, {"1.1": "50"})
    client.login("canbo")
    page = client.get(f"/registrations/{registration.id}/progress").get_data(as_text=True)
    assert "125,0 %" in page
    assert '<progress value="100" max="100"' in page


def test_reports_are_listed_newest_first(client, unit, officer):
    today = local_today()
    registration = registration_with_targets(unit)
    report_with(registration, officer, {"1.1": "5.5"}, label="Quý I", end=today - timedelta(60))
    report_with(registration, officer, {"1.1": "6"}, label="Quý II", end=today - timedelta(1))
    client.login("canbo")
    page = client.get(f"/registrations/{registration.id}/progress").get_data(as_text=True)
    assert page.index(">Quý II<") < page.index(">Quý I<")


def test_who_sees_a_registrations_progress(client, unit, officer):
    today = local_today()
    leader_unit = make_unit("Xã Tả Lèng")
    cluster = make_cluster(year=today.year, members=[unit, leader_unit], leader=leader_unit)
    registration = registration_with_targets(unit, open_campaign(unit, clusters=[cluster]))
    make_user("cumtruong", unit=leader_unit)
    make_user("khac", unit=make_unit("Xã Khác"))
    make_user("thuongtruc", Role.ADMIN)
    make_user("hoidong", Role.COUNCIL_MEMBER)
    url = f"/registrations/{registration.id}/progress"
    for username, expected in [
        ("canbo", 200),
        ("cumtruong", 200),
        ("thuongtruc", 200),
        ("hoidong", 200),
        ("khac", 403),
    ]:
        client.login(username)
        assert client.get(url).status_code == expected, username
        client.submit("/logout")
    assert "/login" in client.get(url).headers["Location"]


# --- who may report, and when -------------------------------------------------------------


def test_officer_creates_a_report_with_vietnamese_numbers(client, unit, officer):
    today = local_today()
    registration = registration_with_targets(
        unit,
        targets={"1.1": dict(title="Vốn đầu tư", baseline="1000", target="2000", uom="triệu")},
    )
    client.login("canbo")
    form = client.get(f"/registrations/{registration.id}/progress/new").get_data(as_text=True)
    assert "Vốn đầu tư" in form and 'name="rows-0-actual"' in form
    response = client.submit(
        f"/registrations/{registration.id}/progress/new",
        form_data(registration, {"1.1": "1.234,5"}),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Đã lưu nháp báo cáo Quý I/2025." in page
    assert "23,5 %" in page  # (1234,5 − 1000) / (2000 − 1000)
    report = db.session.scalar(select(ProgressReport))
    assert report.period_end == today - timedelta(days=1) and report.status == "draft"
    assert report.values[0].actual == Decimal("1234.5")


def test_no_open_implementation_or_midterm_phase_is_refused_with_the_dates(client, unit, officer):
    today = local_today()
    starts, ends = today + timedelta(days=10), today + timedelta(days=100)
    campaign = open_campaign(
        unit,
        phases={
            "registration": (today - timedelta(days=30), today - timedelta(days=1)),
            "implementation": (starts, ends),
        },
    )
    registration = registration_with_targets(unit, campaign)
    client.login("canbo")
    expected = f"Ngoài thời gian tổ chức thực hiện ({format_date(starts)} – {format_date(ends)})."
    page = client.get(
        f"/registrations/{registration.id}/progress/new", follow_redirects=True
    ).get_data(as_text=True)
    assert expected in page
    posted = client.submit(
        f"/registrations/{registration.id}/progress/new",
        form_data(registration, {"1.1": "6"}),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert expected in posted
    assert count(ProgressReport) == 0
    progress = client.get(f"/registrations/{registration.id}/progress").get_data(as_text=True)
    assert expected in progress and "Báo cáo mới" not in progress


def test_midterm_window_also_opens_reporting(client, unit, officer):
    today = local_today()
    campaign = open_campaign(
        unit,
        phases={
            "implementation": (today - timedelta(days=100), today - timedelta(days=50)),
            "midterm": (today - timedelta(days=2), today + timedelta(days=5)),
        },
    )
    registration = registration_with_targets(unit, campaign)
    client.login("canbo")
    client.submit(
        f"/registrations/{registration.id}/progress/new", form_data(registration, {"1.1": "6"})
    )
    assert count(ProgressReport) == 1


def test_outside_both_windows_the_message_names_both(app, unit, officer):
    today = local_today()
    campaign = open_campaign(
        unit,
        phases={
            "implementation": (date(2025, 1, 1), date(2025, 6, 30)),
            "midterm": (date(2025, 7, 1), date(2025, 7, 15)),
        },
    )
    registration = registration_with_targets(unit, campaign)
    with pytest.raises(NotAllowed) as refused:
        create_report(registration, officer, period_label="Quý I", period_end=today)
    assert refused.value.message == (
        "Ngoài thời gian báo cáo tiến độ: tổ chức thực hiện (01/01/2025 – 30/06/2025), "
        "sơ kết (01/07/2025 – 15/07/2025)."
    )


def test_a_draft_campaign_is_refused(app, unit, officer):
    today = local_today()
    registration = registration_with_targets(unit, open_campaign(unit, status="draft"))
    with pytest.raises(NotAllowed, match="Phong trào chưa được phát động."):
        create_report(registration, officer, period_label="Quý I", period_end=today)


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_only_approved_registrations_take_reports(client, unit, officer, status):
    registration = registration_with_targets(unit, status=status)
    client.login("canbo")
    page = client.submit(
        f"/registrations/{registration.id}/progress/new",
        form_data(registration, {"1.1": "6"}),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Bản đăng ký chưa được duyệt" in page
    assert count(ProgressReport) == 0


def test_only_the_units_own_officers_write_reports(client, unit, officer):
    registration = registration_with_targets(unit)
    make_user("khac", unit=make_unit("Xã Khác"))
    make_user("thuongtruc", Role.ADMIN)
    for username in ("khac", "thuongtruc"):
        client.login(username)
        response = client.submit(
            f"/registrations/{registration.id}/progress/new",
            form_data(registration, {"1.1": "6"}),
        )
        assert response.status_code == 403, username
        client.submit("/logout")
    assert count(ProgressReport) == 0


# --- saving: errors keep what was typed, store nothing ------------------------------------------


def test_bad_actual_keeps_what_was_typed_and_stores_nothing(client, unit, officer):
    registration = registration_with_targets(
        unit,
        targets={
            "1.1": dict(title="Tăng trưởng GRDP", baseline="5", target="7"),
            "1.2": dict(title="Km đường", target="40"),
        },
    )
    client.login("canbo")
    data = form_data(registration, {"1.1": "sáu phẩy năm", "1.2": "12,5"}, label="Quý II/2025")
    data["note"] = "Mưa lũ tháng 6 làm chậm tiến độ"
    response = client.submit(f"/registrations/{registration.id}/progress/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hãy nhập một số, ví dụ 1.234,5." in page
    assert 'value="sáu phẩy năm"' in page and 'value="12,5"' in page
    assert 'value="Quý II/2025"' in page and "Mưa lũ tháng 6 làm chậm tiến độ" in page
    assert count(ProgressReport) == 0 and count(ProgressValue) == 0


def test_bad_actual_on_an_existing_report_changes_nothing(client, unit, officer):
    registration = registration_with_targets(unit)
    report = report_with(registration, officer, {"1.1": "6"}, submit=False)
    client.login("canbo")
    data = form_data(registration, {"1.1": "abc"}, label="Quý I đổi tên", report=report)
    page = client.submit(f"/progress/{report.id}", data).get_data(as_text=True)
    assert 'value="abc"' in page and 'value="Quý I đổi tên"' in page
    report = db.session.get(ProgressReport, report.id)
    assert report.period_label == "Quý I" and report.values[0].actual == Decimal("6")


def test_negative_actual_is_refused_unless_the_scale_is_negative(client, unit, officer):
    registration = registration_with_targets(
        unit,
        targets={
            "1.1": dict(title="Số doanh nghiệp mới", target="20"),
            "1.2": dict(title="Cán cân thương mại", baseline="-50", target="-10", uom="tỷ"),
        },
    )
    client.login("canbo")
    page = client.submit(
        f"/registrations/{registration.id}/progress/new",
        form_data(registration, {"1.1": "-3", "1.2": "-30"}),
    ).get_data(as_text=True)
    assert page.count("Số thực hiện không được âm.") == 1
    assert 'value="-3"' in page and 'value="-30"' in page
    assert count(ProgressReport) == 0
    client.submit(
        f"/registrations/{registration.id}/progress/new",
        form_data(registration, {"1.1": "3", "1.2": "-30"}),
    )
    values = {v.target.criterion.code: v.actual for v in db.session.scalars(select(ProgressValue))}
    assert values == {"1.1": Decimal(3), "1.2": Decimal(-30)}


def test_bad_date_and_duplicate_period_are_field_messages(client, unit, officer):
    today = local_today()
    registration = registration_with_targets(unit)
    report_with(registration, officer, {"1.1": "6"}, label="Quý I/2025")
    client.login("canbo")
    page = client.submit(
        f"/registrations/{registration.id}/progress/new",
        form_data(registration, {"1.1": "6,5"}, end="31/13/2025"),
    ).get_data(as_text=True)
    assert "Hãy nhập ngày dạng dd/mm/yyyy, ví dụ 31/03/2025." in page
    assert 'value="31/13/2025"' in page
    page = client.submit(
        f"/registrations/{registration.id}/progress/new",
        form_data(registration, {"1.1": "6,5"}, label="quý i/2025", end=format_date(today)),
    ).get_data(as_text=True)
    assert "Đã có báo cáo cho kỳ “quý i/2025”." in page
    assert count(ProgressReport) == 1


# --- editing, staleness, submitting -----------------------------------------------------------


def test_saving_a_draft_updates_values_and_version(client, unit, officer):
    registration = registration_with_targets(unit)
    report = report_with(registration, officer, {"1.1": "6"}, submit=False)
    version = report.version
    client.login("canbo")
    page = client.get(f"/progress/{report.id}").get_data(as_text=True)
    assert 'value="6"' in page and f'name="version" type="hidden" value="{version}"' in page
    page = client.submit(
        f"/progress/{report.id}",
        form_data(registration, {"1.1": "6,5"}, label="Quý I", report=report),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã lưu nháp báo cáo Quý I." in page and "75,0 %" in page
    report = db.session.get(ProgressReport, report.id)
    assert report.values[0].actual == Decimal("6.5") and report.version == version + 1


def test_stale_form_shows_the_newer_values_and_what_was_typed(client, unit, officer):
    registration = registration_with_targets(unit)
    report = report_with(registration, officer, {"1.1": "6"}, submit=False)
    stale = form_data(registration, {"1.1": "5,8"}, label="Quý I", report=report)
    make_user("canbo2", unit=unit)
    client.login("canbo2")  # a colleague saves first
    client.submit(f"/progress/{report.id}", form_data(registration, {"1.1": "6,2"}, report=report))
    client.submit("/logout")

    client.login("canbo")
    response = client.submit(f"/progress/{report.id}", stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Báo cáo vừa được người khác lưu." in page
    assert 'value="6,2"' in page  # the newer stored value is in the input
    assert "Bạn vừa nhập: <q>5,8</q>" in page  # and what this person typed is beside it
    fresh = db.session.get(ProgressReport, report.id)
    assert f'name="version" type="hidden" value="{fresh.version}"' in page
    assert fresh.values[0].actual == Decimal("6.2")


def test_the_version_column_catches_a_save_that_raced_past_the_check(app, unit, officer):
    today = local_today()
    registration = registration_with_targets(unit)
    report = report_with(registration, officer, {"1.1": "6"}, submit=False)
    version = report.version
    # Another request commits between this one's read and its write.
    db.session.execute(
        update(ProgressReport)
        .where(ProgressReport.id == report.id)
        .values(version=version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(StaleDataError):
        save_report(
            report,
            officer,
            version=version,
            period_label="Quý I",
            period_end=today,
            values={target_of(registration, "1.1").id: ValueInput(Decimal(7))},
        )
        db.session.flush()


def test_submitting_makes_the_report_read_only(client, unit, officer):
    registration = registration_with_targets(unit)
    report = report_with(registration, officer, {"1.1": "6"}, submit=False)
    client.login("canbo")
    page = client.submit(
        f"/progress/{report.id}/submit",
        form_data(registration, {"1.1": "6,5"}, label="Quý I", report=report),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã gửi báo cáo Quý I." in page
    assert 'name="rows-0-actual"' not in page and "Tải lên" not in page
    assert "6,5" in page and "75,0 %" in page

    refused = client.submit(
        f"/progress/{report.id}",
        form_data(registration, {"1.1": "9"}, label="Quý I", report=report),
    ).get_data(as_text=True)
    assert "Báo cáo đã gửi nên không sửa được nữa." in refused
    assert "Bạn vừa nhập: <q>9</q>" in refused
    assert db.session.get(ProgressReport, report.id).values[0].actual == Decimal("6.5")


def test_submit_needs_evidence_where_the_criterion_demands_it(client, unit, officer):
    registration = registration_with_targets(
        unit,
        targets={"1.1": dict(title="GRDP", baseline="5", target="7", evidence_required=True)},
    )
    report = report_with(registration, officer, {"1.1": "6"}, submit=False)
    client.login("canbo")
    page = client.submit(
        f"/progress/{report.id}/submit",
        form_data(registration, {"1.1": "6,4"}, label="Quý I", report=report),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã lưu nháp nhưng chưa gửi được: Cần đính kèm minh chứng cho chỉ tiêu: 1.1." in page
    report = db.session.get(ProgressReport, report.id)
    assert report.status == "draft" and report.values[0].actual == Decimal("6.4")

    target_id = target_of(registration, "1.1").id
    client.submit(
        f"/progress/{report.id}/evidence",
        {"target_id": str(target_id), "file": (__import__("io").BytesIO(PNG), "anh.png")},
        content_type="multipart/form-data",
    )
    assert count(Evidence) == 1
    client.submit(
        f"/progress/{report.id}/submit",
        form_data(registration, {"1.1": "6,4"}, label="Quý I", report=report),
    )
    assert db.session.get(ProgressReport, report.id).status == "submitted"


def test_admin_reopens_a_submitted_report(client, unit, officer):
    registration = registration_with_targets(unit)
    report = report_with(registration, officer, {"1.1": "6"})
    make_user("thuongtruc", Role.ADMIN)
    client.login("canbo")
    assert client.submit(f"/progress/{report.id}/reopen").status_code == 403
    client.submit("/logout")
    client.login("thuongtruc")
    page = client.submit(f"/progress/{report.id}/reopen", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Đã mở lại báo cáo Quý I để đơn vị sửa." in page
    assert db.session.get(ProgressReport, report.id).status == "draft"


def test_report_form_lists_every_target_with_its_registration_data(client, unit, officer):
    registration = registration_with_targets(
        unit,
        targets={
            "1.1": dict(
                title="Tăng trưởng GRDP",
                baseline="5,5".replace(",", "."),
                target="7",
                uom="%",
                deadline=date(2025, 12, 31),
            ),
        },
    )
    client.login("canbo")
    page = client.get(f"/registrations/{registration.id}/progress/new").get_data(as_text=True)
    facts = re.sub(r"\s+", " ", page)
    assert "<strong>1.1</strong> <span>Tăng trưởng GRDP</span>" in facts
    assert "<dd>5,5</dd>" in facts and "<dd>7</dd>" in facts and "<dd>31/12/2025</dd>" in facts
    assert 'form="report-form"' in page and 'inputmode="decimal"' in page
