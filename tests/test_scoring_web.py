"""The scoring sheet in the browser's terms: inline entry, totals, embargo, concurrency."""

import threading

import pytest

from emulation.core.extensions import db
from emulation.scoring.models import ScoreEntry, ScoreEvent, Stage
from tests.factories import PASSWORD


def _entry_url(s, criterion):
    return f"/sheets/{s['sheet'].id}/entries/{criterion.id}"


def test_officer_enters_a_number_and_the_totals_follow(client, s):
    client.login("canbo")
    page = client.get(f"/sheets/{s['sheet'].id}").get_data(as_text=True)
    assert "Phiếu chấm điểm: Phường Tân Phong" in page and "Tự chấm" in page
    table = client.htmx("POST", _entry_url(s, s["ocop"]), {"value": "3", "version": "0"}).get_data(
        as_text=True
    )
    assert table.lstrip().startswith('<div id="sheet-table"')
    assert "6,00" in table  # 3 × 2 points, and the group and the sheet total are 6 too
    table = client.htmx(
        "POST", _entry_url(s, s["grdp"]), {"value": "9,9", "version": "0"}
    ).get_data(as_text=True)
    assert "16,00" in table  # 10 + 6


def test_bad_input_shows_a_message_and_keeps_what_was_typed(client, s):
    client.login("canbo")
    table = client.htmx("POST", _entry_url(s, s["ocop"]), {"value": "ba", "version": "0"}).get_data(
        as_text=True
    )
    assert "“ba” không phải là số" in table and 'value="ba"' in table
    assert db.session.scalar(db.select(db.func.count()).select_from(ScoreEntry)) == 0


def test_a_peer_cannot_open_or_write_the_sheet(client, s):
    client.login("peer")
    assert client.get(f"/sheets/{s['sheet'].id}").status_code == 403
    assert (
        client.htmx("POST", _entry_url(s, s["ocop"]), {"value": "5", "version": "0"}).status_code
        == 403
    )


def test_the_second_of_two_editors_gets_the_newer_value(client, app, s):
    client.login("canbo")
    client.htmx("POST", _entry_url(s, s["ocop"]), {"value": "3", "version": "0"})
    other = app.test_client()
    other.login("canbo")
    table = other.htmx("POST", _entry_url(s, s["ocop"]), {"value": "5", "version": "0"}).get_data(
        as_text=True
    )
    assert "vừa được người khác lưu" in table and "Bạn vừa nhập: “5”" in table
    entry = db.session.scalar(db.select(ScoreEntry))
    assert entry.value == {"n": 3}


def test_concurrent_saves_of_one_entry_keep_exactly_one(app, s):
    """Two officers press save at the same moment on the same number: one wins, one is told."""
    clients = [app.test_client() for _ in range(2)]
    for c in clients:
        c.login("canbo")
    barrier = threading.Barrier(2)
    pages = []
    url = _entry_url(s, s["ocop"])  # read here: the test's session is not for the threads

    def save(c, value):
        with app.app_context():
            barrier.wait()
            pages.append(
                c.htmx("POST", url, {"value": value, "version": "0"}).get_data(as_text=True)
            )

    threads = [
        threading.Thread(target=save, args=(c, v)) for c, v in zip(clients, ("3", "4"), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(pages) == 2
    told = [p for p in pages if "vừa được người khác lưu" in p]
    assert len(told) == 1
    db.session.expire_all()
    entries = db.session.scalars(db.select(ScoreEntry)).all()
    assert len(entries) == 1 and entries[0].value in ({"n": 3}, {"n": 4})
    saved = db.session.scalars(
        db.select(ScoreEvent).where(ScoreEvent.action == "entry_saved")
    ).all()
    assert len(saved) == 1  # the audit chain holds only the save that happened


def test_concurrent_saves_of_different_entries_both_land(app, s):
    clients = [app.test_client() for _ in range(2)]
    for c in clients:
        c.login("canbo")
    barrier = threading.Barrier(2)
    urls = [_entry_url(s, s["ocop"]), _entry_url(s, s["grdp"])]

    def save(c, url, value):
        with app.app_context():
            barrier.wait()
            c.htmx("POST", url, {"value": value, "version": "0"})

    threads = [
        threading.Thread(target=save, args=(clients[0], urls[0], "3")),
        threading.Thread(target=save, args=(clients[1], urls[1], "9")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(ScoreEntry)) == 2
    from emulation.scoring.audit import verify

    assert verify().ok


def test_leader_returns_the_sheet_with_a_reason_the_unit_reads(client, s):
    client.login("canbo")
    for criterion, value in ((s["grdp"], "9"), (s["ocop"], "2"), (s["council"], "7")):
        client.htmx("POST", _entry_url(s, criterion), {"value": value, "version": "0"})
    page = client.submit(f"/sheets/{s['sheet'].id}/advance", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Phiếu đã chuyển sang bước “Cụm trưởng xem xét”." in page
    client.submit("/logout")
    client.login("cumtruong")
    page = client.get(f"/sheets/{s['sheet'].id}").get_data(as_text=True)
    assert "Cụm trưởng xem xét" in page
    client.submit(f"/sheets/{s['sheet'].id}/return", {"reason": "Bổ sung minh chứng OCOP."})
    client.submit("/logout")
    client.login("canbo")
    page = client.get(f"/sheets/{s['sheet'].id}").get_data(as_text=True)
    assert (
        "Phiếu bị trả lại từ bước “Cụm trưởng xem xét”:" in page
        and "Bổ sung minh chứng OCOP." in page
    )


def test_history_shows_the_chain_for_one_criterion(client, s):
    client.login("canbo")
    client.htmx("POST", _entry_url(s, s["ocop"]), {"value": "3", "version": "0"})
    client.htmx("POST", _entry_url(s, s["ocop"]), {"value": "4", "version": "1"})
    page = client.get(f"/sheets/{s['sheet'].id}/history/{s['ocop'].id}").get_data(as_text=True)
    assert page.count("<li><time>") == 2
    assert "∅</strong> → <strong>3</strong>" in page and "3</strong> → <strong>4</strong>" in page


@pytest.mark.parametrize("who", ["peer"])
def test_overview_sends_an_officer_to_their_own_sheet(client, s, who):
    client.login(who)
    response = client.get(f"/campaigns/{s['campaign'].slug}/scoring")
    assert response.status_code == 302 and "/sheets/" in response.headers["Location"]
    assert PASSWORD


def test_explanation_requested_answered_and_blocking_until_answered(client, s):
    client.login("canbo")
    for criterion, value in ((s["grdp"], "9"), (s["ocop"], "2"), (s["council"], "7")):
        client.htmx("POST", _entry_url(s, criterion), {"value": value, "version": "0"})
    client.submit(f"/sheets/{s['sheet'].id}/advance")
    client.submit("/logout")
    client.login("cumtruong")
    page = client.submit(
        f"/sheets/{s['sheet'].id}/explanations",
        {"criterion_id": s["ocop"].id, "question": "Đề nghị nêu tên 2 sản phẩm OCOP."},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã gửi yêu cầu giải trình về tiêu chí 1.2." in page and "Chờ đơn vị giải trình" in page
    page = client.submit(f"/sheets/{s['sheet'].id}/advance", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Còn yêu cầu giải trình chưa được đơn vị trả lời." in page
    client.submit("/logout")
    client.login("canbo")
    from emulation.scoring.models import Explanation

    explanation = db.session.scalar(db.select(Explanation))
    page = client.submit(
        f"/explanations/{explanation.id}/answer",
        {"answer": "Chè Shan tuyết San Thàng và miến dong Tam Đường."},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã gửi giải trình." in page and "miến dong Tam Đường" in page
    client.submit("/logout")
    client.login("cumtruong")
    page = client.submit(f"/sheets/{s['sheet'].id}/advance", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Phiếu đã chuyển sang bước “Thẩm định”." in page


def test_a_peer_cannot_ask_or_answer(client, s):
    client.login("peer")
    response = client.submit(
        f"/sheets/{s['sheet'].id}/explanations", {"criterion_id": s["ocop"].id, "question": "?"}
    )
    assert response.status_code == 403


def test_cross_scoring_draw_is_reproducible_logged_and_scored(client, s):
    from emulation.scoring.models import CrossAssignment

    client.login("admin")
    page = client.submit(
        f"/campaigns/{s['campaign'].slug}/scoring/settings",
        {"cross_scoring": "1", "aggregation": "median", "tolerance": "2,5"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã lưu cách chấm." in page
    page = client.submit(
        f"/campaigns/{s['campaign'].slug}/scoring/draw",
        {"per_unit": "1", "seed": "42"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã bốc thăm 3 cặp chấm chéo (mã bốc thăm 42)." in page
    first = sorted(
        (a.scorer_unit_id, a.target_unit_id) for a in db.session.scalars(db.select(CrossAssignment))
    )
    assert all(scorer != target for scorer, target in first)
    client.submit(f"/campaigns/{s['campaign'].slug}/scoring/draw", {"per_unit": "1", "seed": "42"})
    again = sorted(
        (a.scorer_unit_id, a.target_unit_id) for a in db.session.scalars(db.select(CrossAssignment))
    )
    assert again == first
    logged = db.session.scalar(
        db.select(ScoreEvent)
        .where(ScoreEvent.action == "cross_assignment_drawn")
        .order_by(ScoreEvent.id.desc())
    )
    assert "42" in logged.reason

    # The ward's self-scoring done, the peer drawn to score it enters its own numbers.
    client.submit("/logout")
    client.login("canbo")
    for criterion, value in ((s["grdp"], "9"), (s["ocop"], "2"), (s["council"], "7")):
        client.htmx("POST", _entry_url(s, criterion), {"value": value, "version": "0"})
    client.submit(f"/sheets/{s['sheet'].id}/advance")
    assert db.session.get(type(s["sheet"]), s["sheet"].id).stage == Stage.CROSS
    scorer_unit = next(scorer for scorer, target in first if target == s["sheet"].unit_id)
    scorer = next(u for u in (s["peer"], s["cumtruong"]) if u.unit_id == scorer_unit)
    client.submit("/logout")
    client.login(scorer.username)
    table = client.htmx("POST", _entry_url(s, s["ocop"]), {"value": "1", "version": "0"}).get_data(
        as_text=True
    )
    assert "Chấm chéo" in table and "2,00" in table
    entry = db.session.scalar(db.select(ScoreEntry).where(ScoreEntry.stage == "cross"))
    assert entry.scorer_key == scorer.id


def test_the_unit_reads_how_each_point_was_given(client, s):
    client.login("canbo")
    client.htmx("POST", _entry_url(s, s["ocop"]), {"value": "3", "version": "0"})
    page = client.get(f"/sheets/{s['sheet'].id}").get_data(as_text=True)
    assert "Cách tính điểm (Tự chấm)" in page
    assert "1.2 Sản phẩm OCOP" in page.split("Cách tính điểm")[1]


def test_evidence_files_stand_beside_their_criterion(client, s):
    from emulation.progress.models import Evidence, ProgressReport
    from emulation.registrations.models import Registration

    registration = db.session.scalar(db.select(Registration))
    report = ProgressReport(
        registration=registration,
        period_label="Quý III",
        period_end=registration.campaign.start_date,
        status="submitted",
    )
    db.session.add(report)
    report.evidence.append(
        Evidence(
            target=registration.targets[0],
            original_name="bao-cao-grdp.pdf",
            stored_name="x1.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
    )
    db.session.add(report)
    db.session.commit()
    client.login("canbo")
    page = client.get(f"/sheets/{s['sheet'].id}").get_data(as_text=True)
    row = page.split(f'id="crit-{s["grdp"].id}"')[1].split("</tr>")[0]
    assert "bao-cao-grdp.pdf" in row


def test_outside_the_scoring_window_the_sheet_is_read_only(client, s):
    from datetime import timedelta

    s["campaign"].phases[0].ends_on = s["campaign"].phases[0].starts_on - timedelta(days=0)
    s["campaign"].phases[0].starts_on = s["campaign"].phases[0].ends_on - timedelta(days=30)
    s["campaign"].phases[0].ends_on = s["campaign"].phases[0].ends_on - timedelta(days=20)
    db.session.commit()
    client.login("canbo")
    page = client.get(f"/sheets/{s['sheet'].id}").get_data(as_text=True)
    assert "Ngoài thời gian chấm điểm" in page and 'name="value"' not in page


def test_a_council_member_finds_the_scoring_from_the_campaign_page(client, s):
    client.login("hd1")
    page = client.get(f"/campaigns/{s['campaign'].slug}").get_data(as_text=True)
    assert f'href="/campaigns/{s["campaign"].slug}/scoring"' in page
    assert client.get(f"/campaigns/{s['campaign'].slug}/scoring").status_code == 200
