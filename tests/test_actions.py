"""`act`, the one way a view changes something: commit or roll back, the refusal on its
field or flashed, one more run after losing a race on the audit chain, never a 500."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from flask import get_flashed_messages
from wtforms import Form, StringField

from emulation.accounts.models import Role
from emulation.commendation.rulebook import default_rulebook
from emulation.core.clock import local_today
from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.scoring import audit, sheets
from emulation.scoring.models import ScoreEvent
from emulation.showcase import service as showcase
from emulation.showcase.models import ProfileKind, ShowcaseProfile
from emulation.units.models import Unit
from emulation.web.actions import BUSY, act
from tests.factories import make_unit, make_user


class VersionForm(Form):
    version = StringField()
    note = StringField()


@pytest.fixture
def request_context(app):
    with app.test_request_context("/", method="POST"):
        yield


def _unit_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Unit))


def _refuse(message: str, field: str | None = None):
    def call():
        db.session.add(Unit(code="X1", name="Đơn vị dở dang", type="co_quan", level="tinh"))
        db.session.flush()
        raise DomainError(message, field)

    return call


def test_a_refusal_naming_a_field_goes_next_to_that_field(request_context):
    form = VersionForm()
    done = act(_refuse("Phiên bản 2025 đã có.", "version"), form=form, field="note")

    assert not done and done.error == "Phiên bản 2025 đã có."
    assert form.version.errors == ["Phiên bản 2025 đã có."] and not form.note.errors
    done.flash()
    assert get_flashed_messages() == []  # shown once, on the form
    assert _unit_count() == 0  # what the call did is rolled back


def test_a_refusal_naming_no_field_of_the_form_goes_next_to_the_default(request_context):
    form = VersionForm()
    act(_refuse("Không lưu được.", "no_such_field"), form=form, field="note")
    assert form.note.errors == ["Không lưu được."]


def test_without_a_form_the_refusal_is_flashed_on_the_way_back(request_context):
    response = act(_refuse("Phiếu đã khóa.")).redirect("/sheets/1")
    assert response.status_code == 302 and response.headers["Location"] == "/sheets/1"
    assert get_flashed_messages(with_categories=True) == [("error", "Phiếu đã khóa.")]


def test_success_is_committed_and_its_message_says_what_was_done(request_context):
    def call():
        return make_unit("Xã Hồng Thu").name

    done = act(call, success=lambda name: f"Đã thêm {name}.")
    db.session.rollback()  # nothing left to lose: it was committed
    assert done and done.value == "Xã Hồng Thu" and _unit_count() == 1
    done.redirect("/units/")
    assert get_flashed_messages(with_categories=True) == [("success", "Đã thêm Xã Hồng Thu.")]


def test_htmx_gets_the_fragment_and_a_plain_request_a_redirect(app):
    fragment = lambda: "<p>mảnh</p>"  # noqa: E731
    with app.test_request_context("/", method="POST", headers={"HX-Request": "true"}):
        assert act(lambda: None).answer("/back", fragment) == "<p>mảnh</p>"
    with app.test_request_context("/", method="POST"):
        assert act(lambda: None).answer("/back", fragment).status_code == 302


def _stale_head_for(calls: int, monkeypatch):
    """The first `calls` writers read the chain's head before another writer moved it."""
    audit.record("cham_diem", new="1")
    db.session.commit()
    stale = db.session.scalar(db.select(ScoreEvent.prev_hash))
    real = audit._head_hash
    seen = {"n": 0}

    def head():
        seen["n"] += 1
        return stale if seen["n"] <= calls else real()

    monkeypatch.setattr(audit, "_head_hash", head)
    return seen


def test_a_writer_that_lost_the_chain_runs_again_on_fresh_data(request_context, monkeypatch):
    seen = _stale_head_for(1, monkeypatch)
    done = act(lambda: audit.record("cham_diem", new="2"), success="Đã lưu.")

    assert done and done.message == "Đã lưu." and seen["n"] == 2
    assert audit.verify().ok and audit.verify().count == 2


def test_losing_twice_tells_the_user_to_try_again_instead_of_failing(request_context, monkeypatch):
    _stale_head_for(2, monkeypatch)
    form = VersionForm()
    done = act(lambda: audit.record("cham_diem", new="2"), form=form, field="version")

    assert not done and form.version.errors == [str(BUSY)]
    assert "hãy tải lại trang rồi thử lại" in done.error
    assert audit.verify().count == 1


def test_other_database_errors_are_not_taken_for_a_race(request_context):
    def call():
        db.session.add(Unit(code=None, name="Thiếu mã", type="co_quan", level="tinh"))
        db.session.flush()

    with pytest.raises(Exception, match="(?i)null|not null"):
        act(call)
    assert _unit_count() == 0


# --- in the browser's terms -------------------------------------------------------------------


def _fill_and_login(client, s):
    """The unit's officer has self-scored every criterion and may send the sheet on."""
    client.login("canbo")
    for criterion, value in ((s["grdp"], "9"), (s["ocop"], "2"), (s["council"], "7")):
        url = f"/sheets/{s['sheet'].id}/entries/{criterion.id}"
        client.htmx("POST", url, {"value": value, "version": "0"})


def _stage_closings() -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(ScoreEvent)
        .where(ScoreEvent.action == "stage_closed")
    )


def test_two_advances_of_one_sheet_at_once_move_it_once_and_tell_the_other(
    app, client, s, monkeypatch
):
    """The officer sends the sheet from two tabs at the same moment: both read it at
    self-scoring; one moves it on, the other is told why not — no error page."""
    _fill_and_login(client, s)
    url = f"/sheets/{s['sheet'].id}/advance"
    tabs = [app.test_client() for _ in range(2)]
    for tab in tabs:
        tab.login("canbo")
    both_read_the_sheet = threading.Barrier(2, timeout=20)
    first_try = threading.local()
    advance = sheets.advance

    def advance_after_both_read(sheet, user, **options):
        if not getattr(first_try, "done", False):  # the run once more does not wait
            first_try.done = True
            both_read_the_sheet.wait()
        return advance(sheet, user, **options)

    monkeypatch.setattr(sheets, "advance", advance_after_both_read)
    pages = []

    def send(tab):
        with app.app_context():
            response = tab.submit(url, follow_redirects=True)
            pages.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=send, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(code for code, _page in pages) == [200, 200]
    moved = [page for _code, page in pages if "Phiếu đã chuyển sang bước" in page]
    told = [page for _code, page in pages if "Bạn không thể chuyển phiếu khỏi bước" in page]
    assert len(moved) == 1 and len(told) == 1
    db.session.expire_all()
    assert _stage_closings() == 1 and audit.verify().ok
    page = client.get(f"/sheets/{s['sheet'].id}").get_data(as_text=True)
    assert "Bước hiện tại: <strong>Cụm trưởng xem xét</strong>" in page


def test_an_advance_that_loses_the_race_twice_asks_to_try_again(client, s, monkeypatch):
    _fill_and_login(client, s)
    taken = db.session.scalar(db.select(ScoreEvent.prev_hash).order_by(ScoreEvent.id))
    monkeypatch.setattr(audit, "_head_hash", lambda: taken)  # every try chains onto a taken event

    response = client.submit(f"/sheets/{s['sheet'].id}/advance", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Có người khác vừa thay đổi dữ liệu này cùng lúc; hãy tải lại trang rồi thử lại." in page
    assert "Bước hiện tại: <strong>Tự chấm</strong>" in page
    monkeypatch.undo()
    assert _stage_closings() == 0 and audit.verify().ok


def test_a_refusal_naming_a_field_is_shown_under_that_field(client):
    make_user("thuongtruc", Role.ADMIN)
    older = default_rulebook(version="2024")
    newer = default_rulebook(effective_from=date(2025, 1, 1), version="2025")
    db.session.commit()
    assert older.id
    client.login("thuongtruc")

    response = client.submit(
        f"/rulebooks/{newer.id}/edit",
        {"province": "Lai Châu", "version": "2024", "effective_from": "01/01/2025"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200  # the form again, with what was typed
    assert '<small class="field-error" id="version-msg">Phiên bản 2024 đã có.</small>' in page
    assert 'value="2024"' in page and "2025" in client.get("/rulebooks/").get_data(as_text=True)


def test_htmx_gets_the_part_to_swap_and_a_plain_form_a_redirect(app, client):
    make_user("thuongtruc", Role.ADMIN)
    profile = showcase.save_profile(
        ShowcaseProfile(),
        kind=ProfileKind.MODEL,
        title="Dân vận khéo trong vận động hiến đất làm đường",
        unit=make_unit("Xã Bình Lư"),
        field="dan_van",
        year=2025,
        story="Cả thôn cùng bàn, cùng làm: 12.000 m² đất được hiến để mở đường liên thôn.",
    )
    first, second, third = (
        make_unit("Xã Tả Lèng"),
        make_unit("Xã Phong Thổ"),
        make_unit("Xã Mù Sang"),
    )
    db.session.commit()
    client.login("thuongtruc")
    url = f"/showcase/{profile.slug}/replications"

    swapped = client.htmx(
        "POST", url, {"adopting_unit_id": str(first.id), "adopted_on": "01/03/2025"}
    )
    assert swapped.status_code == 200
    assert "Đã thêm Xã Tả Lèng vào danh sách nhân rộng." in swapped.get_data(as_text=True)
    assert "<html" not in swapped.get_data(as_text=True)

    plain = client.submit(url, {"adopting_unit_id": str(second.id), "adopted_on": "01/03/2025"})
    assert plain.status_code == 302 and plain.headers["Location"].endswith("#replications")
    page = client.get(plain.headers["Location"]).get_data(as_text=True)
    assert "Đã thêm Xã Phong Thổ vào danh sách nhân rộng." in page

    tomorrow = (local_today() + timedelta(days=1)).strftime("%d/%m/%Y")
    refused = client.htmx("POST", url, {"adopting_unit_id": str(third.id), "adopted_on": tomorrow})
    assert refused.status_code == 200  # htmx 2 swaps only a 2xx answer
    panel = refused.get_data(as_text=True)
    assert 'id="adopted_on-msg">Ngày áp dụng không được sau hôm nay.</small>' in panel
    assert f'value="{tomorrow}"' in panel
