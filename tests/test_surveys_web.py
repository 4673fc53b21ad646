"""Surveys through the pages: building, tokens and QR sheets, answering by token, link and
login, anonymity of what is stored, single use under concurrency, limits, results, export."""

import csv
import io
import re
import threading

import pytest
from openpyxl import load_workbook
from sqlalchemy import inspect

from emulation.accounts.models import Role
from emulation.core.extensions import db
from emulation.surveys import builder as survey_builder
from emulation.surveys import service as surveys
from emulation.surveys.models import Survey, SurveyParticipation, SurveyResponse, SurveyToken
from tests.factories import make_campaign, make_unit, make_user


@pytest.fixture
def s(app):
    return open_survey()


def open_survey() -> dict:
    """A launched campaign of two wards, a survey open by token, link and login."""
    ward, commune = make_unit("Phường Tân Phong"), make_unit("Xã Bình Lư")
    campaign = make_campaign(units=[ward, commune])
    survey = survey_builder.create_survey(
        campaign,
        title="Khảo sát sự hài lòng tại bộ phận một cửa",
        code="SIPAS",
        allow_tokens=True,
        allow_open=True,
        allow_login=True,
        min_sample=2,
    )
    tc1 = survey_builder.save_component(survey, None, code="TC1", title="Tiếp cận dịch vụ")
    db.session.flush()
    ask = survey_builder.QuestionInput
    q = {
        "rate": survey_builder.save_question(
            survey,
            None,
            ask(
                text="Mức độ hài lòng với nơi chờ",
                kind="likert",
                code="C1",
                component_id=tc1.id,
                required=True,
            ),
        ),
        "feedback": survey_builder.save_question(
            survey,
            None,
            ask(text="Ông/bà có góp ý không?", kind="single", code="C2", options="Có\nKhông"),
        ),
    }
    db.session.flush()
    q["why"] = survey_builder.save_question(
        survey,
        None,
        ask(
            text="Nội dung góp ý",
            kind="short_text",
            code="C3",
            required=True,
            show_if_question="C2",
            show_if_values=["Có"],
        ),
    )
    q["visits"] = survey_builder.save_question(
        survey,
        None,
        ask(text="Số lần đi lại", kind="number", code="C4", min_value="1", max_value="20"),
    )
    survey_builder.change_status(survey, "open")
    batch = surveys.generate_tokens(survey, ward, 3)
    db.session.commit()
    users = {
        "admin": make_user("admin", Role.ADMIN),
        "hd": make_user("hd", Role.COUNCIL_MEMBER, unit=make_unit("Sở Tài chính")),
        "canbo": make_user("canbo", unit=ward),
        "xa": make_user("xa", unit=commune),
    }
    return {
        "campaign": campaign,
        "survey": survey,
        "ward": ward,
        "commune": commune,
        "tokens": [t.code for t in batch.tokens],
        **q,
        **users,
    }


def answers(s, rate="4", feedback="Không", why="", visits="2"):
    return {
        f"q-{s['rate'].id}": rate,
        f"q-{s['feedback'].id}": feedback,
        f"q-{s['why'].id}": why,
        f"q-{s['visits'].id}": visits,
    }


def link(s, unit="ward"):
    return f"/ks/{s['survey'].public_code}/{s[unit].code}"


# --- answering by token ---------------------------------------------------------------------


def test_a_token_opens_the_form_for_its_unit_and_is_spent_once(client, s):
    code = s["tokens"][0]
    page = client.get(f"/ks/m/{code}").get_data(as_text=True)
    assert "Khảo sát sự hài lòng tại bộ phận một cửa" in page
    assert "Đơn vị được đánh giá:" in page and "Phường Tân Phong" in page
    assert "Rất hài lòng" in page and "Không ý kiến" in page
    sent = client.submit(f"/ks/m/{code}", answers(s))
    assert sent.status_code == 302 and sent.location.endswith("/cam-on")
    thanks = client.get(sent.location).get_data(as_text=True)
    assert "Cảm ơn bạn đã tham gia khảo sát!" in thanks
    again = client.get(f"/ks/m/{code}")
    assert again.status_code == 410
    assert "Mã phiếu này đã được dùng" in again.get_data(as_text=True)
    assert client.submit(f"/ks/m/{code}", answers(s)).status_code == 410
    unknown = client.get("/ks/m/ZZZZ-ZZZZ")
    assert unknown.status_code == 404 and "Mã phiếu không đúng" in unknown.get_data(as_text=True)
    assert db.session.query(SurveyResponse).count() == 1


def test_typing_the_code_leads_to_the_form(client, s):
    code = s["tokens"][1]
    typed = f"{code[:4].lower()}-{code[4:].lower()}"
    response = client.submit("/ks/ma", {"code": typed})
    assert response.status_code == 302 and response.location.endswith(f"/ks/m/{code}")
    wrong = client.submit("/ks/ma", {"code": "ABCD-EFGH"})
    assert wrong.status_code == 404
    assert "Mã phiếu không đúng" in wrong.get_data(as_text=True)
    assert 'value="ABCD-EFGH"' in wrong.get_data(as_text=True)


def test_invalid_answers_get_messages_per_field_and_keep_what_was_typed(client, s):
    code = s["tokens"][0]
    page = client.submit(
        f"/ks/m/{code}", answers(s, rate="", feedback="Có", why="", visits="ba mươi")
    )
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Phiếu chưa được gửi: còn 3 câu cần xem lại" in text
    assert text.count("Câu này cần được trả lời.") == 2  # C1, and C3 now shown
    assert "“ba mươi” không phải là số" in text
    assert 'value="ba mươi"' in text
    assert 'value="Có" checked' in text
    assert db.session.query(SurveyResponse).count() == 0
    assert not db.session.scalar(db.select(SurveyToken.used).where(SurveyToken.code == code))


def test_htmx_checks_one_answer_shows_dependent_questions_and_keeps_a_draft(client, s):
    code = s["tokens"][0]
    client.get(f"/ks/m/{code}")
    url = f"/ks/m/{code}/cau/{s['visits'].id}"
    fragment = client.htmx("POST", url, answers(s, rate="", visits="25")).get_data(as_text=True)
    assert "Số lớn nhất là 20." in fragment
    assert 'id="survey-progress" class="survey-progress" hx-swap-oob="true"' in fragment
    assert "Đã trả lời 1/3 câu" in fragment  # C2 only; C3 hidden; C4 wrong
    fragment = client.htmx(
        "POST", f"/ks/m/{code}/cau/{s['feedback'].id}", answers(s, rate="5", feedback="Có")
    ).get_data(as_text=True)
    shown = re.search(rf'<div id="q-{s["why"].id}"[^>]*>', fragment).group(0)
    assert "hidden" not in shown and 'hx-swap-oob="true"' in shown
    # Coming back later on the same phone finds the answers again.
    page = client.get(f"/ks/m/{code}").get_data(as_text=True)
    assert 'value="5" checked' in page and 'value="Có" checked' in page


def test_two_simultaneous_submissions_of_one_token_store_exactly_one(app, s):
    code = s["tokens"][2]
    url = f"/ks/m/{code}"
    data = answers(s)
    clients = [app.test_client() for _ in range(2)]
    barrier = threading.Barrier(2)
    statuses = []

    def send(c):
        with app.app_context():
            token = c.csrf_token()
            barrier.wait()
            statuses.append(c.post(url, data={**data, "csrf_token": token}).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(statuses) == [302, 410]
    db.session.expire_all()
    assert db.session.query(SurveyResponse).count() == 1
    assert db.session.scalar(db.select(SurveyToken.used).where(SurveyToken.code == code))


# --- anonymity ------------------------------------------------------------------------------


def test_nothing_stored_links_an_answer_to_its_token_or_account(client, app, s):
    code = s["tokens"][0]
    client.submit(f"/ks/m/{code}", answers(s, rate="5", visits="3"))
    client.login("xa")
    client.submit(link(s), answers(s, rate="2", visits="7"))
    client.submit("/logout")
    app.test_client().submit(link(s, "commune"), answers(s, rate="4"))

    schema = inspect(db.engine)
    columns = {c["name"] for c in schema.get_columns("survey_responses")}
    assert columns == {"id", "survey_id", "unit_id", "channel", "submitted_on", "answers"}
    linked = {fk["referred_table"] for fk in schema.get_foreign_keys("survey_responses")}
    assert linked == {"surveys", "units"}
    for table in ("survey_tokens", "survey_participations"):
        assert "survey_responses" not in {
            fk["referred_table"] for fk in schema.get_foreign_keys(table)
        }
        assert not {"response_id", "submitted_on", "submitted_at", "used_at"} & {
            c["name"] for c in schema.get_columns(table)
        }
    assert {c["name"] for c in schema.get_columns("survey_participations")} == {
        "survey_id",
        "user_id",
        "unit_id",
    }

    db.session.expire_all()
    responses = db.session.scalars(db.select(SurveyResponse)).all()
    assert sorted(r.channel for r in responses) == ["login", "open", "token"]
    official = db.session.get(type(s["xa"]), s["xa"].id)
    for response in responses:
        assert re.fullmatch(r"[0-9a-f]{32}", response.id)  # random, not a counter
        stored = repr((response.id, response.answers, response.submitted_on))
        assert code not in stored and official.username not in stored
        assert set(response.answers) <= {"C1", "C2", "C3", "C4"}
    # Who answered is known apart: the token is spent, the official recorded, nothing more.
    assert db.session.scalar(db.select(SurveyToken.used).where(SurveyToken.code == code))
    assert db.session.query(SurveyParticipation).count() == 1


# --- open link and login --------------------------------------------------------------------


def test_the_open_link_counts_a_browser_once(client, s):
    sent = client.submit(link(s), answers(s))
    assert sent.status_code == 302
    page = client.get(link(s)).get_data(as_text=True)
    assert "Trình duyệt này đã gửi phiếu đánh giá Phường Tân Phong" in page
    # Another unit is another matter.
    assert "Gửi phiếu" in client.get(link(s, "commune")).get_data(as_text=True)


def test_too_many_submissions_from_one_address_get_the_vietnamese_429_page(app, s):
    app.config["SURVEY_RATE_LIMIT"] = "2 per minute"
    statuses = [app.test_client().submit(link(s), answers(s)).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    page = app.test_client().submit(link(s), answers(s)).get_data(as_text=True)
    assert "Quá nhiều yêu cầu" in page and "Vui lòng đợi một lát" in page
    assert db.session.query(SurveyResponse).count() == 2


def test_guessing_tokens_is_limited_but_answering_is_not(app, s):
    app.config["SURVEY_TOKEN_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    assert [client.get(f"/ks/m/WRONG{i}AA").status_code for i in range(3)] == [404, 404, 429]


def test_officials_answer_once_per_unit_and_never_about_their_own(client, s):
    client.login("xa")
    assert client.submit(link(s), answers(s)).status_code == 302
    page = client.get(link(s)).get_data(as_text=True)
    assert "Bạn đã gửi phiếu đánh giá Phường Tân Phong trong khảo sát này." in page
    assert client.submit(link(s), answers(s)).status_code == 200
    own = client.get(link(s, "commune"))
    assert own.status_code == 403
    assert "Bạn không tự đánh giá đơn vị của mình." in own.get_data(as_text=True)
    assert db.session.query(SurveyResponse).count() == 1


def test_a_login_only_survey_sends_strangers_to_sign_in(client, s):
    s["survey"].allow_open = False
    db.session.commit()
    response = client.get(link(s))
    assert response.status_code == 302 and "/login" in response.location


def test_a_closed_survey_takes_no_answers(client, s):
    survey_builder.change_status(s["survey"], "closed")
    db.session.commit()
    page = client.get(f"/ks/m/{s['tokens'][0]}").get_data(as_text=True)
    assert "Khảo sát này đã kết thúc." in page
    assert "Khảo sát này đã kết thúc." in client.get(link(s)).get_data(as_text=True)
    assert db.session.query(SurveyResponse).count() == 0


def test_the_general_link_asks_which_unit(client, s):
    page = client.get(f"/ks/{s['survey'].public_code}").get_data(as_text=True)
    assert "Bạn muốn đánh giá đơn vị nào?" in page and "Xã Bình Lư" in page
    chosen = client.get(f"/ks/{s['survey'].public_code}?don_vi={s['commune'].code}")
    assert chosen.status_code == 302 and chosen.location.endswith(link(s, "commune"))


# --- the standing office --------------------------------------------------------------------


def test_only_the_standing_office_builds(client, s):
    survey = s["survey"]
    assert client.get(f"/surveys/{survey.id}").status_code == 302  # to the login page
    client.login("canbo")
    assert client.get(f"/surveys/{survey.id}").status_code == 403
    assert client.submit(f"/surveys/{survey.id}/status", {"status": "closed"}).status_code == 403
    assert client.get(f"/surveys/{survey.id}/results").status_code == 403
    client.submit("/logout")
    client.login("hd")
    assert client.get(f"/surveys/{survey.id}/results").status_code == 200
    assert client.get(f"/surveys/{survey.id}/export.csv").status_code == 403


def test_the_office_builds_a_survey_in_the_browser(client, s):
    client.login("admin")
    slug = s["campaign"].slug
    listed = client.get("/surveys/").get_data(as_text=True)
    assert "Khảo sát sự hài lòng tại bộ phận một cửa" in listed and "Đang nhận phiếu" in listed
    campaign_page = client.get(f"/campaigns/{slug}/surveys").get_data(as_text=True)
    assert "Tạo theo mẫu SIPAS" in campaign_page and "Mã phiếu dùng một lần" in campaign_page
    manage = client.get(f"/campaigns/{slug}/manage").get_data(as_text=True)
    assert f"/campaigns/{slug}/surveys" in manage
    page = client.submit(
        f"/campaigns/{slug}/surveys/new",
        {"title": "", "code": "CB 1", "min_sample": "30", "allow_tokens": "y"},
    ).get_data(as_text=True)
    assert "Trường này không được để trống." in page
    page = client.submit(
        f"/campaigns/{slug}/surveys/new",
        {"title": "Đánh giá của cán bộ", "code": "CB 1", "min_sample": "30", "allow_login": "y"},
    ).get_data(as_text=True)
    assert "Mã chỉ gồm chữ không dấu" in page and 'value="Đánh giá của cán bộ"' in page
    created = client.submit(
        f"/campaigns/{slug}/surveys/new",
        {"title": "Đánh giá của cán bộ", "code": "CANBO", "min_sample": "10", "allow_login": "y"},
    )
    assert created.status_code == 302
    builder_url = created.location
    survey_id = int(builder_url.rstrip("/").split("/")[-1])
    client.submit(f"/surveys/{survey_id}/components", {"code": "PH", "title": "Phối hợp"})
    bad = client.submit(
        f"/surveys/{survey_id}/questions/new",
        {"text": "Đơn vị phối hợp tốt ở khâu nào?", "kind": "single", "options": "Tiếp nhận"},
    ).get_data(as_text=True)
    assert "Cần ít nhất hai phương án, mỗi dòng một phương án." in bad
    assert "Đơn vị phối hợp tốt ở khâu nào?" in bad
    saved = client.submit(
        f"/surveys/{survey_id}/questions/new",
        {"text": "Mức độ phối hợp", "kind": "likert", "component_id": "", "required": "y"},
    )
    assert saved.status_code == 302
    page = client.get(builder_url).get_data(as_text=True)
    assert "C1." in page and "Mức độ phối hợp" in page and "Phối hợp" in page
    fields = client.htmx(
        "GET", f"/surveys/{survey_id}/questions/fields?kind=matrix&show_if_question=C1"
    ).get_data(as_text=True)
    assert "Các nội dung được đánh giá" in fields and "5 – Rất hài lòng" in fields
    opened = client.submit(
        f"/surveys/{survey_id}/status", {"status": "open"}, follow_redirects=True
    )
    assert "Khảo sát đã mở nhận phiếu." in opened.get_data(as_text=True)


def test_questions_are_frozen_once_answered(client, s):
    client.submit(f"/ks/m/{s['tokens'][0]}", answers(s))
    client.login("admin")
    survey = s["survey"]
    edit = client.get(f"/surveys/{survey.id}/questions/{s['rate'].id}", follow_redirects=True)
    assert "Hãy tạo phiên bản mới." in edit.get_data(as_text=True)
    page = client.submit(f"/surveys/{survey.id}/version", follow_redirects=True)
    assert "Đã tạo phiên bản 2" in page.get_data(as_text=True)


def test_tokens_are_printed_as_qr_sheets(client, s):
    client.login("admin")
    survey = s["survey"]
    done = client.submit(
        f"/surveys/{survey.id}/tokens", {"unit_id": str(s["commune"].id), "count": "4"}
    )
    assert done.status_code == 302
    refused = client.submit(f"/surveys/{survey.id}/tokens", {"unit_id": "0", "count": "501"})
    assert "Mỗi đợt in từ 1 đến 500 mã." in refused.get_data(as_text=True)
    batch = surveys.token_batches(survey)[0]
    sheet = client.get(f"/surveys/{survey.id}/tokens/{batch.id}/print").get_data(as_text=True)
    assert sheet.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4
    first = batch.tokens[0].code
    assert f"{first[:4]}-{first[4:]}" in sheet and "Xã Bình Lư" in sheet
    links = client.get(f"/surveys/{survey.id}/links").get_data(as_text=True)
    assert links.count("<svg") == 2 and link(s) in links


def test_preview_checks_but_stores_nothing(client, s):
    client.login("admin")
    survey = s["survey"]
    page = client.get(f"/surveys/{survey.id}/preview").get_data(as_text=True)
    assert "Bản xem trước" in page
    checked = client.submit(f"/surveys/{survey.id}/preview", answers(s)).get_data(as_text=True)
    assert "Phiếu hợp lệ. Đây là bản xem trước nên phiếu không được lưu." in checked
    assert db.session.query(SurveyResponse).count() == 0


# --- results and export ---------------------------------------------------------------------


def _three_answers(app, s):
    for code, rate in zip(s["tokens"], ("5", "4", "2"), strict=True):
        app.test_client().submit(f"/ks/m/{code}", answers(s, rate=rate))
    app.test_client().submit(link(s, "commune"), answers(s, rate="0"))


def test_results_show_indices_margins_and_insufficient_units(client, app, s):
    _three_answers(app, s)
    client.login("admin")
    survey = s["survey"]
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    assert "4 phiếu trả lời" in page and "độ tin cậy thấp hơn" in page
    # Ward: 5, 4, 2 → 66,67 % satisfied, mean 3,67, n = 3; margin 1.96·√(⅔·⅓/3) = 53,34
    assert "66,67 %" in page and "± 53,34" in page and "3,67" in page
    # The commune's only answer is "không ý kiến": n = 0, below the minimum of 2.
    assert page.count("chưa đủ mẫu") >= 1
    assert f"/surveys/{survey.id}/charts/{s['rate'].id}.svg" in page
    assert 'alt="Biểu đồ câu C1, 4 phiếu: Rất không hài lòng: 0; Không hài lòng: 1' in page
    part = client.htmx(
        "GET", f"/surveys/{survey.id}/results?unit={s['commune'].id}&trusted=1"
    ).get_data(as_text=True)
    assert part.lstrip().startswith('<div id="survey-results">')
    assert "0 phiếu trả lời về Xã Bình Lư (chỉ phiếu tin cậy)" in part
    svg = client.get(f"/surveys/{survey.id}/charts/{s['rate'].id}.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get(f"/surveys/{survey.id}/charts/{s['rate'].id}.png")
    assert png.data.startswith(b"\x89PNG") and "attachment" in png.headers["Content-Disposition"]


def test_export_holds_anonymous_answers_only(client, app, s):
    _three_answers(app, s)
    client.login("admin")
    survey = s["survey"]
    text = client.get(f"/surveys/{survey.id}/export.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["STT", "Mã đơn vị", "Đơn vị", "Kênh trả lời", "Ngày"]
    assert rows[0][5] == "C1 Mức độ hài lòng với nơi chờ"
    assert len(rows) == 5
    assert sorted(r[5] for r in rows[1:]) == ["2", "4", "5", "Không ý kiến"]
    assert not any(code in text for code in s["tokens"])
    book = load_workbook(io.BytesIO(client.get(f"/surveys/{survey.id}/export.xlsx").data))
    sheet = book.active
    assert sheet.max_row == 5 and sheet["F1"].value == "C1 Mức độ hài lòng với nơi chờ"


def test_the_sipas_template_is_one_click_away(client, s):
    client.login("admin")
    slug = s["campaign"].slug
    created = client.submit(f"/campaigns/{slug}/surveys/sipas")
    assert created.status_code == 302
    page = client.get(created.location).get_data(as_text=True)
    assert "Đã tạo khảo sát theo mẫu SIPAS" in page
    assert "TC5" in page and "chỉ hiện khi câu C3 là: Có" in page
    assert "SIPAS-2" in page  # the code SIPAS is taken in this campaign
    preview = client.get(created.location + "/preview").get_data(as_text=True)
    assert "về tiếp cận dịch vụ hành chính công" in preview and "KÝK = Không ý kiến" in preview


def test_on_postgresql_no_write_transaction_links_a_token_to_its_response(client, app, s):
    """PostgreSQL stamps each row with the transaction that wrote it (xmin); a spent token
    must not share its stamp with the response it paid for."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL records the writing transaction on each row")
    client.submit(f"/ks/m/{s['tokens'][0]}", answers(s, rate="5"))
    client.submit(f"/ks/m/{s['tokens'][1]}", answers(s, rate="3"))
    official = app.test_client()
    official.login("xa")
    official.submit(link(s), answers(s, rate="4"))
    stamp = "SELECT xmin::text FROM {table}"
    responses = db.session.execute(db.text(stamp.format(table="survey_responses"))).scalars()
    spent = db.session.execute(
        db.text(stamp.format(table="survey_tokens") + " WHERE used")
    ).scalars()
    who = db.session.execute(db.text(stamp.format(table="survey_participations"))).scalars()
    responses, spent, who = set(responses), list(spent), list(who)
    assert len(responses) == 3 and len(spent) == 2 and len(who) == 1
    assert not responses & (set(spent) | set(who))
    assert len(set(spent)) == 1  # rewritten together: nothing tells them apart


def test_the_office_reorders_and_deletes_questions_and_sections(client, s):
    client.login("admin")
    survey, why, visits = s["survey"], s["why"], s["visits"]
    builder = f"/surveys/{survey.id}"

    refused = client.submit(f"{builder}/questions/{why.id}/move", {"to": "up"})
    assert refused.location.endswith(f"#q-{why.id}")
    page = client.get(refused.location).get_data(as_text=True)
    assert "Câu C3 chỉ hiện theo câu C2 nên phải đứng sau câu đó." in page
    moved = client.submit(f"{builder}/questions/{visits.id}/move", {"to": "up"})
    assert moved.location.endswith(f"#q-{visits.id}")
    assert "Đã đổi thứ tự câu hỏi." in client.get(moved.location).get_data(as_text=True)
    codes = [q.code for q in db.session.get(Survey, survey.id).ordered_questions]
    assert codes == ["C1", "C2", "C4", "C3"]

    refused = client.submit(f"{builder}/questions/{s['feedback'].id}/delete")
    assert refused.location.endswith(f"#q-{s['feedback'].id}")
    assert "Câu C3 đang chỉ hiện theo câu trả lời" in client.get(refused.location).get_data(
        as_text=True
    )
    deleted = client.submit(f"{builder}/questions/{visits.id}/delete", follow_redirects=True)
    assert "Đã xóa câu C4." in deleted.get_data(as_text=True)

    only = survey.sections[0].id
    refused = client.submit(f"{builder}/sections/{only}/delete", follow_redirects=True)
    assert "Khảo sát cần ít nhất một phần." in refused.get_data(as_text=True)
    added = client.submit(f"{builder}/sections", {"title": "Phần hai"})
    second = int(added.location.rsplit("#section-", 1)[1])
    assert "Đã lưu phần." in client.get(added.location).get_data(as_text=True)
    moved = client.submit(f"{builder}/sections/{second}/move", {"to": "up"})
    assert moved.location.endswith(f"#section-{second}")
    assert [x.id for x in db.session.get(Survey, survey.id).sections] == [second, only]
    deleted = client.submit(f"{builder}/sections/{second}/delete", follow_redirects=True)
    assert "Đã xóa phần và các câu hỏi trong phần." in deleted.get_data(as_text=True)
    assert [x.id for x in db.session.get(Survey, survey.id).sections] == [only]
