"""Commendation in the browser's terms: from the demo campaign's published results to a
decision on the unit's page, and the pages around it (rulebook, posting, meeting, roles)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from emulation.accounts.models import Role, User
from emulation.campaigns.service import campaign_by_slug
from emulation.commendation import meetings, nominations, posting
from emulation.commendation.models import Award, Nomination, Rulebook
from emulation.commendation.rulebook import current_rulebook
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.core.numbers import format_decimal
from emulation.demo import awards as demo_awards
from emulation.demo import loader as demo
from emulation.standings import service as standings
from emulation.units.service import unit_by_code
from tests.factories import make_user
from tests.test_documents_awards import _docx_text, _xlsx_rows
from tests.test_nominations import NAMES, published

SLUG = "thi-dua-dac-biet-2023"
PASSWORD = demo.DEMO_PASSWORD


def _fmt(day) -> str:
    return day.strftime("%d/%m/%Y")


def _switch(client, username):
    client.submit("/logout")
    client.login(username, PASSWORD)


def test_from_the_demo_results_to_a_decision_on_the_unit_page(app, client):
    today = local_today()
    demo.load()
    demo_awards.load()
    db.session.commit()
    campaign = campaign_by_slug(SLUG)
    book = current_rulebook("Lai Châu", today)
    themed_gk = book.type_by_code("GK_CD")
    # The wrap-up phase of 2023 is long over; open it again so a unit may add its nominees.
    wrapup = next(p for p in campaign.phases if p.kind == "wrapup")
    wrapup.starts_on, wrapup.ends_on = today - timedelta(days=5), today + timedelta(days=20)
    phong_tho = unit_by_code("HUYEN-109")
    make_user("canbo_phongtho", unit=phong_tho, full_name="Lò Văn Pó").set_password(PASSWORD)
    db.session.commit()

    # The standing office asks for ten working days of posting for the themed Giấy khen.
    client.login("thuongtruc", PASSWORD)
    edit_url = f"/rulebooks/{book.id}/types/{themed_gk.id}"
    form = client.get(edit_url).get_data(as_text=True)
    assert "Giấy khen (theo chuyên đề)" in form
    saved = client.submit(
        edit_url,
        {
            "code": "GK_CD",
            "name": "Giấy khen (theo chuyên đề)",
            "subject": "collective",
            "forms": ["chuyen_de"],
            "rule": "min_grade",
            "grade": "Khá",
            "unless": "BK_CD",
            "quorum": "2/3",
            "secret_ballot": "y",
            "denominator": "all",
            "threshold_pct": "70",
            "posting_days": "10",
        },
    )
    assert saved.status_code == 302
    assert themed_gk.posting_days == 10 and not themed_gk.counts_toward_higher

    # 1. Proposals from the official results, each with its reason.
    page = client.get(f"/campaigns/{SLUG}/awards/proposals").get_data(as_text=True)
    assert "Xếp loại Khá (từ Khá trở lên)." in page
    assert "Xếp thứ 3 trong cụm, chỉ 2 đơn vị đầu được đề nghị." in page
    assert "Xếp loại Trung bình, cần từ Khá trở lên." in page
    applied = client.submit(f"/campaigns/{SLUG}/awards/proposals")
    assert applied.status_code == 302
    hub = client.get(f"/campaigns/{SLUG}/awards").get_data(as_text=True)
    assert "Đã đưa 6 đề nghị vào danh sách." in hub and "Huyện Phong Thổ" in hub

    # 2. The district adds one of its people during the wrap-up phase.
    _switch(client, "canbo_phongtho")
    mine = client.get(f"/campaigns/{SLUG}/nominations").get_data(as_text=True)
    assert "Giấy khen (theo chuyên đề)" in mine  # what the results proposed for the unit
    person_type = book.type_by_code("BK_CD_CN")
    refused = client.submit(
        f"/campaigns/{SLUG}/nominations",
        {"subject": "person", "award_type_id": person_type.id, "person_name": "Vàng A Chá"},
    )
    assert refused.status_code == 200
    assert "Cần tóm tắt thành tích." in refused.get_data(as_text=True)
    assert 'value="Vàng A Chá"' in refused.get_data(as_text=True)  # what was typed stays
    added = client.submit(
        f"/campaigns/{SLUG}/nominations",
        {
            "subject": "person",
            "award_type_id": person_type.id,
            "person_name": "Vàng A Chá",
            "person_title": "Chủ tịch UBND xã Dào San",
            "summary": "Vận động 120 hộ hiến đất làm đường nông thôn mới.",
        },
    )
    assert added.status_code == 302
    assert "Vàng A Chá" in client.get(f"/campaigns/{SLUG}/nominations").get_data(as_text=True)
    assert client.get(f"/campaigns/{SLUG}/awards").status_code == 403

    # 3. The office finalizes: the list is posted publicly for ten working days.
    _switch(client, "thuongtruc")
    assert client.submit(f"/campaigns/{SLUG}/awards/finalize").status_code == 302
    client.submit("/logout")
    public = client.get(f"/campaigns/{SLUG}/cong-khai").get_data(as_text=True)
    assert "Vàng A Chá, Chủ tịch UBND xã Dào San (Huyện Phong Thổ)" in public
    assert f"Từ {_fmt(today)} đến hết" in public and "(10 ngày làm việc)" in public
    sent = client.submit(
        f"/campaigns/{SLUG}/cong-khai",
        {"nomination_id": "0", "content": "Huyện Phong Thổ còn chậm giải ngân vốn đầu tư."},
    )
    assert sent.status_code == 302
    assert "Cảm ơn bạn đã góp ý" in client.get(sent.location).get_data(as_text=True)
    assert "chậm giải ngân" not in client.get(f"/campaigns/{SLUG}/cong-khai").get_data(
        as_text=True
    )  # shown only once handled

    # 4. The meeting cannot vote while the window runs and the comment waits.
    client.login("thuongtruc", PASSWORD)
    created = client.submit(
        f"/campaigns/{SLUG}/meeting",
        {
            "held_on": _fmt(today),
            "place": "Phòng họp tầng 3, UBND tỉnh",
            "chair": "Chủ tịch UBND tỉnh",
            "secretary": "Nguyễn Thị Thu Hà",
        },
    )
    assert created.status_code == 302
    page = client.get(f"/campaigns/{SLUG}/meeting").get_data(as_text=True)
    assert "Còn 1 ý kiến của nhân dân chưa xử lý." in page
    assert "Đang công khai danh sách đến hết ngày" in page
    comment = client.get(f"/campaigns/{SLUG}/awards/comments").get_data(as_text=True)
    assert "chậm giải ngân" in comment
    comment_id = re.search(r'id="y-kien-(\d+)"', comment).group(1)
    handled = client.htmx(
        "POST",
        f"/campaigns/{SLUG}/awards/comments/{comment_id}",
        {
            "status": "dismissed",
            "note": "Tiến độ giải ngân đã đạt kế hoạch năm; không ảnh hưởng kết quả.",
            "public": "y",
        },
    )
    assert handled.status_code == 200 and "Không tiếp thu" in handled.get_data(as_text=True)
    moved = client.submit(
        f"/campaigns/{SLUG}/awards/posting-start", {"posting_from": _fmt(today - timedelta(30))}
    )
    assert moved.status_code == 302

    # Attendance: two present, one absent who sends a written vote. 2 of 3 is a quorum.
    council = {u.username: u for u in db.session.scalars(select(User)) if u.is_council_member}
    for username in ("hoidong", "hoidong2"):
        toggled = client.htmx(
            "POST",
            f"/campaigns/{SLUG}/meeting/attendance/{council[username].id}",
            {"present": "1"},
        )
        assert toggled.status_code == 200
    assert "Điểm danh: 2/3 thành viên có mặt" in toggled.get_data(as_text=True)
    assert "2/3 thành viên có mặt, cần ít nhất 2 (2/3)." in toggled.get_data(as_text=True)
    assert client.submit(f"/campaigns/{SLUG}/meeting/open").status_code == 302
    assert "Đã mở biểu quyết" in client.get(f"/campaigns/{SLUG}/meeting").get_data(as_text=True)

    # 5. Ballots: every nominee agreed by both present members, one written vote against
    # Huyện Phong Thổ's Giấy khen.
    nominees = nominations.finalized(campaign)
    phong_tho_gk = next(
        n for n in nominees if n.unit_id == phong_tho.id and n.award_type.code == "GK_CD"
    )
    for username in ("hoidong", "hoidong2"):
        _switch(client, username)
        ballot = client.get(f"/campaigns/{SLUG}/meeting/ballot").get_data(as_text=True)
        assert "Phiếu biểu quyết đề nghị khen thưởng" in ballot
        votes = {f"vote-{n.id}": "agree" for n in nominees}
        cast = client.htmx("POST", f"/campaigns/{SLUG}/meeting/ballot", votes)
        assert f"Đã ghi nhận {len(nominees)} phiếu." in cast.get_data(as_text=True)
        again = client.submit(f"/campaigns/{SLUG}/meeting/ballot", votes)
        assert "Đã biểu quyết tất cả các đối tượng." in client.get(again.location).get_data(
            as_text=True
        )
    _switch(client, "thuongtruc")
    absent = council["hoidong3"]
    written = client.submit(
        f"/campaigns/{SLUG}/meeting/written/{absent.id}",
        {f"vote-{n.id}": ("disagree" if n is phong_tho_gk else "agree") for n in nominees},
    )
    assert written.status_code == 302
    client.submit(f"/campaigns/{SLUG}/meeting/close")
    page = client.get(f"/campaigns/{SLUG}/meeting").get_data(as_text=True)
    assert "3/3 = 100,0 % (cần ≥ 70 % tổng số thành viên Hội đồng)" in page
    assert "2/3 = 66,7 % (cần ≥ 70 % tổng số thành viên Hội đồng)" in page
    minutes = client.get(f"/campaigns/{SLUG}/meeting/minutes").get_data(as_text=True)
    assert "Biên bản họp Hội đồng Thi đua – Khen thưởng" in minutes
    assert "2/3 thành viên có mặt; 1 vắng mặt, trong đó 1 gửi ý kiến bằng văn bản." in minutes
    assert f"Hội đồng thống nhất đề nghị khen thưởng {len(nominees) - 1}/{len(nominees)}" in minutes

    # 6. The decision, and the history on the unit's page.
    decided = client.submit(
        f"/campaigns/{SLUG}/awards/decisions",
        {
            "award_type_id": themed_gk.id,
            "number": "2468/QĐ-UBND",
            "signed_on": _fmt(today),
            "signer": "Chủ tịch UBND tỉnh",
        },
    )
    assert decided.status_code == 302
    awarded = {
        a.unit.name: a
        for a in db.session.scalars(select(Award).where(Award.decision_id.isnot(None)))
    }
    assert "Huyện Phong Thổ" not in awarded  # 2/3 = 66,7 % < 70 %
    lai_chau = awarded["Thành phố Lai Châu"]
    unit_page = client.get(f"/units/{lai_chau.unit_id}").get_data(as_text=True)
    section = unit_page.split('id="awards"', 1)[1]
    assert "Giấy khen (theo chuyên đề)" in section
    assert f"2468/QĐ-UBND ngày {_fmt(today)}" in section
    assert "Không tính làm căn cứ khen cao hơn" in section  # a themed campaign's award
    assert campaign.name[:40] in section

    # 7. The dossier for the province: the tờ trình names only who passed, the minutes and
    # the results carry the tally, the unit's report carries its official total.
    page = client.get(f"/campaigns/{SLUG}/meeting").get_data(as_text=True)
    meeting_id = re.search(r"/meetings/(\d+)/bien-ban\.docx", page).group(1)
    to_trinh = _docx_text(client.get(f"/campaigns/{SLUG}/to-trinh.docx").data)
    assert "Căn cứ kết quả biểu quyết tại cuộc họp Hội đồng Thi đua – Khen thưởng tỉnh" in to_trinh
    assert "Thành phố Lai Châu" in to_trinh and "Vàng A Chá" in to_trinh
    minutes_doc = _docx_text(client.get(f"/meetings/{meeting_id}/bien-ban.docx").data)
    assert "BIÊN BẢN" in minutes_doc and "Phòng họp tầng 3, UBND tỉnh" in minutes_doc
    assert "Số thành viên Hội đồng có mặt: 2/3" in minutes_doc
    results = _xlsx_rows(client.get(f"/meetings/{meeting_id}/ket-qua.xlsx").data)
    body = [dict(zip(results[2], row, strict=True)) for row in results[3:]]
    row = next(
        r
        for r in body
        if r["Tên tập thể, cá nhân"] == "Huyện Phong Thổ"
        and r["Hình thức khen thưởng"] == themed_gk.name
    )
    assert (row["Đồng ý"], row["Không đồng ý"], row["Kết quả"]) == (2, 1, "Không đạt")
    assert [r["Kết quả"] for r in body].count("Đạt") == len(nominees) - 1
    report = client.get(f"/campaigns/{SLUG}/units/{lai_chau.unit_id}/bao-cao-thanh-tich.docx")
    assert report.status_code == 200
    report_text = _docx_text(report.data)
    assert "Thành phố Lai Châu" in report_text
    official = next(
        row
        for group in standings.board(campaign, standings.OFFICIAL).groups
        for row in group.rows
        if row.unit_id == lai_chau.unit_id
    )
    assert format_decimal(official.total, "vi", 2, minimum=0) in report_text, report_text

    # 8. The office turns the award into a typical example for the public showcase.
    decisions_page = client.get(f"/campaigns/{SLUG}/awards/decisions").get_data(as_text=True)
    assert f"/showcase/from-award/{lai_chau.id}" in decisions_page
    made = client.submit(f"/showcase/from-award/{lai_chau.id}")
    assert made.status_code == 302
    form = client.get(made.location).get_data(as_text=True)
    award_line = f"Giấy khen (theo chuyên đề) – Quyết định số 2468/QĐ-UBND ngày {_fmt(today)}"
    assert award_line in form
    assert client.submit(f"/showcase/from-award/{lai_chau.id}").location == made.location
    decisions_page = client.get(f"/campaigns/{SLUG}/awards/decisions").get_data(as_text=True)
    assert made.location in decisions_page  # one profile per award, linked from its decision


@pytest.fixture
def wrapup(app):
    """Published results (tests.test_nominations.published), the office signed in later."""
    campaign, units, admin = published()
    return campaign, units, admin


def test_rulebook_pages_create_the_defaults_and_lock_a_version_in_use(app, client):
    make_user("thuongtruc", Role.ADMIN)
    make_user("hoidong", Role.COUNCIL_MEMBER)
    make_user("canbo")
    client.login("canbo")
    assert client.get("/rulebooks/").status_code == 403
    client.submit("/logout")
    client.login("thuongtruc")
    index = client.get("/rulebooks/").get_data(as_text=True)
    assert "Tỉnh Lai Châu chưa có quy định khen thưởng nào đang có hiệu lực." in index
    created = client.submit("/rulebooks/defaults")
    detail = client.get(created.location).get_data(as_text=True)
    assert "Cờ thi đua của UBND tỉnh" in detail
    assert "Dẫn đầu cụm, khối, xếp loại từ Xuất sắc" in detail
    assert "đồng ý ≥ 90 % tổng số thành viên" in detail  # Chiến sĩ thi đua cấp tỉnh
    book = db.session.scalar(select(Rulebook))
    flag = book.type_by_code("CTD_TINH")
    url = f"/rulebooks/{book.id}/types/{flag.id}"
    bad = client.submit(
        url,
        {
            "code": "CTD_TINH",
            "name": "Cờ thi đua của UBND tỉnh",
            "subject": "collective",
            "forms": ["thuong_xuyen"],
            "rule": "top_k",
            "k": "hai",
            "quorum": "2/3",
            "denominator": "all",
            "threshold_pct": "170",
            "posting_days": "0",
        },
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Cần nhập số nguyên, ví dụ 3." in page
    assert 'value="hai"' in page
    # Once a campaign's list follows this version, it is read-only: copy it instead.
    campaign = published(
        admin=db.session.scalar(select(User).where(User.username == "thuongtruc"))
    )[0]
    nominations.ensure_list(campaign)
    db.session.commit()
    locked = client.get(f"/rulebooks/{book.id}").get_data(as_text=True)
    assert "đã được dùng để xét khen thưởng nên không sửa được" in locked
    refused = client.submit(
        f"/rulebooks/{book.id}/edit",
        {"province": "Lai Châu", "version": "2024b", "effective_from": "01/01/2024"},
    )
    assert "hãy tạo phiên bản mới để sửa" in refused.get_data(as_text=True)
    copied = client.submit(
        f"/rulebooks/{book.id}/new-version",
        {"version": "2027", "effective_from": "01/01/2027"},
    )
    assert copied.status_code == 302
    assert "Đã tạo phiên bản 2027 từ phiên bản" in client.get(copied.location).get_data(
        as_text=True
    )
    client.submit("/logout")
    client.login("hoidong")
    assert client.get(f"/rulebooks/{book.id}").status_code == 200
    assert client.get(f"/rulebooks/{book.id}/edit").status_code == 403


def test_the_public_page_waits_for_the_final_list_and_checks_comments(app, client, wrapup):
    campaign, units, admin = wrapup
    url = f"/campaigns/{campaign.slug}/cong-khai"
    page = client.get(url).get_data(as_text=True)
    assert "chưa được công khai" in page
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert NAMES[0] in page and "Cờ thi đua của UBND tỉnh" in page
    # Comments are taken from anyone; an empty one comes back with the message, htmx or not.
    empty = client.htmx("POST", url, {"author_name": "Nguyễn Văn Dân", "content": " "})
    fragment = empty.get_data(as_text=True)
    assert empty.status_code == 200 and "Hãy nhập nội dung ý kiến." in fragment
    assert 'value="Nguyễn Văn Dân"' in fragment and "<html" not in fragment
    sent = client.htmx("POST", url, {"content": "Đồng tình với danh sách."})
    assert "Cảm ơn bạn đã góp ý" in sent.get_data(as_text=True)
    assert "Đồng tình với danh sách." not in sent.get_data(as_text=True)  # a fresh form
    # The office must choose an outcome and write an answer; the note typed stays.
    client.login("thuongtruc")
    [comment] = posting.comments(campaign)
    handle = f"/campaigns/{campaign.slug}/awards/comments/{comment.id}"
    bad = client.htmx("POST", handle, {"note": "Cảm ơn ý kiến."})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Chọn tiếp thu hoặc không tiếp thu." in text
    assert "Cảm ơn ý kiến." in text and not comment.is_handled
    page = client.submit(handle, {"status": "accepted", "note": ""}).get_data(as_text=True)
    assert "Cần ghi nội dung xử lý, trả lời." in page and "Đồng tình với danh sách." in page
    client.submit("/logout")
    # And a public campaign page points to the posting.
    assert "Công khai danh sách đề nghị khen thưởng" in client.get(
        f"/campaigns/{campaign.slug}"
    ).get_data(as_text=True)


def test_comments_are_rate_limited_per_address(app, client, wrapup):
    app.config["POSTING_COMMENT_RATE_LIMIT"] = "2 per minute"
    campaign, units, admin = wrapup
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    db.session.commit()
    url = f"/campaigns/{campaign.slug}/cong-khai"
    statuses = [client.submit(url, {"content": f"Ý kiến {i}"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert "Quá nhiều yêu cầu" in client.submit(url, {"content": "x"}).get_data(as_text=True)


def test_who_may_open_which_page(app, client, wrapup):
    campaign, units, admin = wrapup
    make_user("hoidong", Role.COUNCIL_MEMBER)
    make_user("canbo", unit=units[1])
    slug = campaign.slug
    assert client.get(f"/campaigns/{slug}/awards").status_code == 302  # to the login page
    client.login("hoidong")
    for url in (f"/campaigns/{slug}/awards", f"/campaigns/{slug}/meeting", "/discipline"):
        assert client.get(url).status_code == 403, url
    assert client.submit(f"/campaigns/{slug}/awards/finalize").status_code == 403
    client.submit("/logout")
    client.login("canbo")
    assert client.get(f"/campaigns/{slug}/meeting/ballot").status_code == 403
    assert client.get(f"/campaigns/{slug}/awards/proposals").status_code == 403
    assert client.submit(f"/campaigns/{slug}/awards/proposals").status_code == 403
    assert nominations.nominations_of(campaign) == []


def test_a_unit_under_discipline_shows_its_reason_in_the_proposals(app, client, wrapup):
    campaign, units, admin = wrapup
    client.login("thuongtruc")
    added = client.submit(
        "/discipline",
        {"unit_id": units[0].id, "reason": "Đang thanh tra công tác cán bộ", "until": ""},
    )
    assert added.status_code == 302
    assert "Đang thanh tra công tác cán bộ" in client.get("/discipline").get_data(as_text=True)
    page = client.get(f"/campaigns/{campaign.slug}/awards/proposals").get_data(as_text=True)
    assert "Đang bị xem xét, xử lý kỷ luật: Đang thanh tra công tác cán bộ." in page


def test_after_finalizing_the_office_withdraws_a_nominee_only_with_a_reason(app, client, wrapup):
    campaign, units, admin = wrapup
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    db.session.commit()
    nominee = next(n for n in nominations.finalized(campaign) if n.award_type.code == "GK")
    client.login("thuongtruc")
    url = f"/campaigns/{campaign.slug}/awards/nominations/{nominee.id}/remove"
    refused = client.htmx("POST", url, {"note": ""})
    assert "Cần ghi lý do rút tên khỏi danh sách đã chốt." in refused.get_data(as_text=True)
    assert nominee in nominations.finalized(campaign)
    fragment = client.htmx("POST", url, {"note": "Tiếp thu ý kiến của nhân dân"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and 'id="nominations"' in text
    assert "Tiếp thu ý kiến của nhân dân" in text
    assert nominee not in nominations.finalized(campaign)


def test_members_see_their_ballot_state_and_minutes_wait_for_the_close(app, client, wrapup):
    today = local_today()
    campaign, units, admin = wrapup
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    nominations.nomination_list(campaign).posting_from = today - timedelta(days=40)
    present = make_user("hoidong", Role.COUNCIL_MEMBER, unit=units[0])
    other = make_user("hoidong3", Role.COUNCIL_MEMBER)
    absent = make_user("hoidong2", Role.COUNCIL_MEMBER)
    meeting = meetings.create_meeting(campaign, admin, held_on=today, chair="Chủ tịch UBND tỉnh")
    db.session.flush()
    meetings.set_attendance(meeting, admin, present.id, True)
    meetings.set_attendance(meeting, admin, other.id, True)
    meetings.open_voting(meeting, admin)
    db.session.commit()
    client.login("hoidong")
    page = client.get(f"/campaigns/{campaign.slug}/meeting/ballot").get_data(as_text=True)
    assert "Không biểu quyết: đơn vị của thành viên" in page  # own unit's Cờ thi đua
    assert client.get(f"/campaigns/{campaign.slug}/meeting/minutes").status_code == 302
    client.submit("/logout")
    client.login("hoidong2")
    page = client.get(f"/campaigns/{campaign.slug}/meeting/ballot").get_data(as_text=True)
    assert "ý kiến bằng văn bản do Thường trực nhập" in page
    assert absent.id != present.id


def test_a_unit_officer_edits_and_deletes_its_own_addition_only(app, client, wrapup):
    campaign, units, admin = wrapup
    officer = make_user("canbo", unit=units[1])
    book = nominations.rulebook_for(campaign)
    own = nominations.add_nomination(
        campaign,
        officer,
        award_type=book.type_by_code("BK_CN"),
        subject="person",
        unit=units[1],
        person_name="Lò Thị Xuân",
        summary="Hoàn thành xuất sắc nhiệm vụ.",
    )
    nominations.apply_proposals(campaign, admin)
    db.session.commit()
    computed = next(
        n for n in nominations.nominations_of_unit(campaign, units[1].id) if n is not own
    )
    other_unit = next(n for n in nominations.nominations_of(campaign) if n.unit_id == units[0].id)
    client.login("canbo")
    base = f"/campaigns/{campaign.slug}/awards/nominations"
    edited = client.submit(
        f"{base}/{own.id}",
        {"person_name": "Lò Thị Xuân", "person_title": "Phó Chủ tịch UBND phường", "summary": ""},
    )
    assert "Cần tóm tắt thành tích." in edited.get_data(as_text=True)
    saved = client.submit(
        f"{base}/{own.id}",
        {
            "person_name": "Lò Thị Xuân",
            "person_title": "Phó Chủ tịch UBND phường",
            "summary": "Chỉ đạo thu ngân sách vượt 12 %.",
        },
    )
    assert saved.status_code == 302 and own.person_title == "Phó Chủ tịch UBND phường"
    assert client.get(f"{base}/{other_unit.id}").status_code == 403
    client.submit(f"{base}/{computed.id}/remove")
    assert computed.is_active  # what the results proposed is the office's to remove
    own_id = own.id
    client.submit(f"{base}/{own_id}/remove")
    assert db.session.get(Nomination, own_id) is None
