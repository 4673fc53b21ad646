"""`act`, the one way a view changes something: commit or roll back, the refusal on its
field or flashed, one more run after losing a race on the audit chain, never a 500."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from wtforms import Form, StringField

from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.scoring import audit
from emulation.scoring.models import ScoreEvent
from emulation.units.models import Unit
from emulation.web.actions import BUSY, act
from tests.factories import make_unit


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
