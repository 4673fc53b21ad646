"""The audit chain of score changes: recording, tamper detection, `flask audit verify`."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, insert, text
from sqlalchemy.exc import IntegrityError

from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.scoring import audit
from emulation.scoring.audit import GENESIS, chain_conflict, compute_hash, history, record, verify
from emulation.scoring.cli import audit_cli
from emulation.scoring.models import ScoreEvent, ScoreSheet, Stage
from tests.factories import add_criterion, make_campaign, make_unit, make_user

EVENTS = ScoreEvent.__table__


@pytest.fixture
def scene(app):
    """A campaign with one criterion, one unit's sheet and an officer who scores it."""
    unit = make_unit()
    campaign = make_campaign(units=[unit])
    criterion = add_criterion(campaign, "1", "Hoàn thành nhiệm vụ", 10)
    sheet = ScoreSheet(campaign=campaign, unit=unit, stage=Stage.SELF)
    db.session.add(sheet)
    db.session.commit()
    officer = make_user("canbo", unit=unit)
    return {"campaign": campaign, "criterion": criterion, "sheet": sheet, "user": officer}


@pytest.fixture
def chain(scene) -> list[int]:
    """Five committed self-scoring events; returns their ids."""
    ids = []
    for points in range(5):
        event = record(
            "cham_diem",
            user=scene["user"],
            sheet=scene["sheet"],
            criterion=scene["criterion"],
            stage=Stage.SELF,
            old=str(points),
            new=str(points + 1),
            reason="Tự chấm",
        )
        ids.append(event.id)
    db.session.commit()
    return ids


def _tamper(sql: str, **params) -> None:
    """Change stored rows behind the application's back, as someone with database access could."""
    db.session.execute(text(sql).bindparams(**params))
    db.session.commit()
    db.session.expire_all()


def _forged_row(prev_hash: str, action: str = "cham_diem") -> dict:
    """A row whose hash is correct for its content, whatever its prev_hash."""
    row = {
        "prev_hash": prev_hash,
        "at": utcnow(),
        "user_id": None,
        "campaign_id": None,
        "sheet_id": None,
        "criterion_id": None,
        "stage": "",
        "action": action,
        "old_value": "",
        "new_value": "10",
        "reason": "",
    }
    return {**row, "hash": compute_hash(row)}


def test_a_clean_chain_verifies(scene, chain):
    events = history()
    assert [e.id for e in events] == chain
    assert events[0].prev_hash == GENESIS
    assert all(
        later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False)
    )
    assert events[0].campaign_id == scene["campaign"].id  # taken from the sheet

    result = verify()

    assert result.ok and result.count == 5 and result.bad_event_id is None


def test_an_empty_chain_verifies(app):
    assert verify().ok and verify().count == 0


TAMPERED_FIELDS = {
    "old_value": lambda event, other_user: "0",
    "new_value": lambda event, other_user: "10",
    "reason": lambda event, other_user: "Sửa lại cho đẹp",
    "user_id": lambda event, other_user: other_user.id,
    "at": lambda event, other_user: event.at + timedelta(seconds=1),
    "action": lambda event, other_user: "xoa_diem",
}


@pytest.mark.parametrize("field", TAMPERED_FIELDS)
def test_editing_any_field_names_that_event(scene, chain, field):
    other_user = make_user("nguoila", unit=scene["sheet"].unit)
    target = db.session.get(ScoreEvent, chain[2])
    value = TAMPERED_FIELDS[field](target, other_user)
    column_type = EVENTS.c[field].type
    db.session.execute(
        text(f"UPDATE score_events SET {field} = :value WHERE id = :id").bindparams(
            bindparam("value", value, type_=column_type), id=chain[2]
        )
    )
    db.session.commit()
    db.session.expire_all()

    result = verify()

    assert not result.ok
    assert result.bad_event_id == chain[2]
    assert result.message == f"Sự kiện #{chain[2]}: nội dung đã bị sửa (mã băm không khớp)."


def test_deleting_a_middle_event_names_the_next_one(chain):
    _tamper("DELETE FROM score_events WHERE id = :id", id=chain[2])

    result = verify()

    assert result.bad_event_id == chain[3]
    assert result.message == (
        f"Sự kiện #{chain[3]}: không nối tiếp sự kiện #{chain[1]} (chuỗi bị cắt hoặc bị chèn)."
    )


def test_deleting_the_first_event_is_caught(chain):
    _tamper("DELETE FROM score_events WHERE id = :id", id=chain[0])

    result = verify()

    assert result.bad_event_id == chain[1]
    assert "sự kiện đầu tiên không nối vào gốc của chuỗi" in result.message


def test_a_forged_event_with_a_recomputed_hash_but_a_wrong_prev_is_caught(chain):
    db.session.execute(insert(EVENTS).values(_forged_row(prev_hash="f" * 64)))
    db.session.commit()
    forged_id = db.session.scalar(db.select(db.func.max(ScoreEvent.id)))

    result = verify()

    assert result.bad_event_id == forged_id
    assert result.message == (
        f"Sự kiện #{forged_id}: không nối tiếp sự kiện #{chain[-1]} (chuỗi bị cắt hoặc bị chèn)."
    )


def test_cli_verify_exits_0_when_intact_and_1_with_the_first_bad_event(app, chain):
    app.cli.add_command(audit_cli)
    runner = app.test_cli_runner()

    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert "Chuỗi nhật ký chấm điểm nguyên vẹn: 5 sự kiện." in intact.output

    _tamper("UPDATE score_events SET new_value = '10' WHERE id = :id", id=chain[1])
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"Sự kiện #{chain[1]}: nội dung đã bị sửa (mã băm không khớp)." in broken.stderr
    assert "nguyên vẹn" not in broken.output


def test_the_database_refuses_two_events_on_the_same_prev_hash(chain):
    # Another connection, as a second web worker would have, chains onto an event already taken.
    first = db.session.get(ScoreEvent, chain[0])
    with db.engine.connect() as other, pytest.raises(IntegrityError) as refused:
        other.execute(insert(EVENTS).values(_forged_row(prev_hash=first.prev_hash)))

    assert chain_conflict(refused.value)
    assert not chain_conflict(ValueError("prev_hash"))

    with db.engine.connect() as other, pytest.raises(IntegrityError) as other_error:
        other.execute(insert(EVENTS).values({**_forged_row("e" * 64), "user_id": 999_999}))
    assert not chain_conflict(other_error.value)  # a missing user is not a race to retry
    assert verify().ok


def test_the_losing_writer_gets_a_chain_conflict_and_its_retry_succeeds(scene, chain, monkeypatch):
    head_seen_by_loser = db.session.get(ScoreEvent, chain[-1]).hash
    record("cham_diem", user=scene["user"], sheet=scene["sheet"], new="7")  # the winner
    db.session.commit()

    # The loser read the head before the winner committed.
    monkeypatch.setattr(audit, "_head_hash", lambda: head_seen_by_loser)
    with pytest.raises(IntegrityError) as refused:
        record("cham_diem", user=scene["user"], sheet=scene["sheet"], new="8")
        db.session.commit()
    assert chain_conflict(refused.value)
    db.session.rollback()

    monkeypatch.undo()
    record("cham_diem", user=scene["user"], sheet=scene["sheet"], new="8")
    db.session.commit()
    assert verify().ok and verify().count == 7


def test_decimal_and_dict_values_are_stored_canonically_and_verify_after_reload(scene):
    event = record(
        "cham_diem",
        sheet=scene["sheet"],
        criterion=scene["criterion"],
        old=Decimal("7.50"),
        new={"so_luong": Decimal("12.0"), "ghi_chu": "Đạt", "co": True},
        reason="Điều chỉnh theo thẩm định",
    )
    record("tra_lai", sheet=scene["sheet"], old={"b": 1, "a": [Decimal("0.25")]}, new=None)
    db.session.commit()
    event_id, campaign_id = event.id, scene["campaign"].id
    db.session.remove()  # a fresh session: every value below comes back from the database

    stored = db.session.get(ScoreEvent, event_id)
    assert stored.old_value == "7.50"
    assert stored.new_value == '{"co":true,"ghi_chu":"Đạt","so_luong":"12.0"}'
    assert json.loads(stored.new_value)["so_luong"] == "12.0"
    assert history(campaign_id=campaign_id)[1].old_value == '{"a":["0.25"],"b":1}'
    assert compute_hash({f: getattr(stored, f) for f in audit.HASHED_FIELDS}) == stored.hash
    assert verify().ok


def test_history_is_in_order_and_filtered(scene, chain):
    other_criterion = add_criterion(scene["campaign"], "2", "Công tác khác", 5)
    extra = record("cham_diem", sheet=scene["sheet"], criterion=other_criterion, new="4")
    unrelated = record("ghi_chu", reason="Không gắn với phiếu nào")
    db.session.commit()

    assert [e.id for e in history()] == [*chain, extra.id, unrelated.id]
    assert [e.id for e in history(sheet_id=scene["sheet"].id)] == [*chain, extra.id]
    assert [e.id for e in history(criterion_id=other_criterion.id)] == [extra.id]
    assert [e.id for e in history(campaign_id=scene["campaign"].id)] == [*chain, extra.id]
    assert history(sheet_id=scene["sheet"].id, criterion_id=scene["criterion"].id)[0].id == chain[0]


def test_verify_streams_20000_events_across_batches(app):
    prev_hash, rows = GENESIS, []
    for n in range(20_000):
        row = _forged_row(prev_hash, action=f"cham_diem_{n}")
        rows.append(row)
        prev_hash = row["hash"]
    db.session.execute(insert(EVENTS), rows)
    db.session.commit()
    ids = list(db.session.scalars(db.select(ScoreEvent.id).order_by(ScoreEvent.id)))

    result = verify()

    assert result.ok and result.count == 20_000
    assert len(db.session.identity_map) == 0  # rows were read as tuples, none kept as objects

    # A gap right at a batch boundary is still seen.
    _tamper("DELETE FROM score_events WHERE id = :id", id=ids[audit.BATCH_SIZE])
    assert verify().bad_event_id == ids[audit.BATCH_SIZE + 1]
