"""The tamper-evident audit trail of score changes: a hash chain over `ScoreEvent` rows.

Each event stores the hash of the event before it (`prev_hash`, GENESIS for the first) and
its own `hash`, a sha256 over `prev_hash` and every stored field. Editing, deleting or
inserting a row in the middle breaks the chain and `verify` names the first broken event.
The chain cannot show that its newest events were cut off, nor a whole rewritten chain: for
that, keep the head hash somewhere else (a signed report, a printout).

Writers: call `record` in the same transaction as the score change it describes and commit
both together. `prev_hash` is UNIQUE, so of two writers chaining onto the same event only
one commits; the other gets an IntegrityError (`chain_conflict` recognises it) and must roll
back and redo the whole change, as when any concurrent edit is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.scoring.models import ScoreEvent

GENESIS = "0" * 64
HASHED_FIELDS = (
    "prev_hash",
    "at",
    "user_id",
    "campaign_id",
    "sheet_id",
    "criterion_id",
    "stage",
    "action",
    "old_value",
    "new_value",
    "reason",
)
BATCH_SIZE = 1000


def _canonical_json(value: Any) -> str:
    return json.dumps(
        value,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_json_default,
    )


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)  # exact: "1.50" stays "1.50", never a float
    raise TypeError(f"Cannot store {type(value).__name__} in the audit trail")


def canonical_value(value: Any) -> str:
    """Text stored for an old/new value: str as is, Decimal as str, anything else canonical JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return _canonical_json(value)


def _timestamp(moment: datetime) -> str:
    # Always six fractional digits, so 12:00:00.000000 hashes the same after a reload.
    return moment.isoformat(timespec="microseconds")


def compute_hash(fields: Mapping[str, Any]) -> str:
    """sha256 hex over the canonical serialisation of an event's prev_hash and fields."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["at"] = _timestamp(payload["at"])
    return hashlib.sha256(_canonical_json(payload).encode()).hexdigest()


def _head_hash() -> str:
    latest = db.session.scalar(select(ScoreEvent.hash).order_by(ScoreEvent.id.desc()).limit(1))
    return latest or GENESIS


def record(
    action: str,
    *,
    user=None,
    campaign=None,
    sheet=None,
    criterion=None,
    stage: str = "",
    old: Any = "",
    new: Any = "",
    reason: str = "",
) -> ScoreEvent:
    """Append one event to the chain and flush; the caller commits it with the score change."""
    prev_hash = _head_hash()  # autoflushes first, so pending user/sheet/… have their ids
    if campaign is None and sheet is not None:
        campaign_id = sheet.campaign_id
    else:
        campaign_id = campaign.id if campaign is not None else None
    fields = {
        "prev_hash": prev_hash,
        "at": utcnow(),
        "user_id": user.id if user is not None else None,
        "campaign_id": campaign_id,
        "sheet_id": sheet.id if sheet is not None else None,
        "criterion_id": criterion.id if criterion is not None else None,
        "stage": stage,
        "action": action,
        "old_value": canonical_value(old),
        "new_value": canonical_value(new),
        "reason": reason,
    }
    event = ScoreEvent(**fields, hash=compute_hash(fields))
    db.session.add(event)
    db.session.flush()
    return event


def chain_conflict(exc: BaseException) -> bool:
    """True when a commit failed because another writer chained onto the same event first."""
    return isinstance(exc, IntegrityError) and "prev_hash" in str(exc.orig)


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of `verify`: how many events were checked and the first broken one, if any."""

    ok: bool
    count: int
    bad_event_id: int | None = None
    message: str = ""


def _broken(event_id: int, count: int, message: str) -> VerifyResult:
    return VerifyResult(ok=False, count=count, bad_event_id=event_id, message=message)


def verify() -> VerifyResult:
    """Walk the whole chain in id order, in batches, and report the first broken event."""
    columns = [ScoreEvent.id, ScoreEvent.hash, *(getattr(ScoreEvent, f) for f in HASHED_FIELDS)]
    query = select(*columns).order_by(ScoreEvent.id).execution_options(yield_per=BATCH_SIZE)
    with db.session.execute(query) as rows:  # closes the server-side cursor on early return
        return _walk(rows)


def _walk(rows) -> VerifyResult:
    previous_id, previous_hash, count = None, GENESIS, 0
    for row in rows:
        count += 1
        if compute_hash(row._mapping) != row.hash:
            return _broken(
                row.id, count, f"Sự kiện #{row.id}: nội dung đã bị sửa (mã băm không khớp)."
            )
        if row.prev_hash != previous_hash:
            if previous_id is None:
                message = (
                    f"Sự kiện #{row.id}: sự kiện đầu tiên không nối vào gốc của chuỗi "
                    "(các sự kiện đầu chuỗi đã bị xóa hoặc bị thay)."
                )
            else:
                message = (
                    f"Sự kiện #{row.id}: không nối tiếp sự kiện #{previous_id} "
                    "(chuỗi bị cắt hoặc bị chèn)."
                )
            return _broken(row.id, count, message)
        previous_id, previous_hash = row.id, row.hash
    return VerifyResult(ok=True, count=count)


def history(
    sheet_id: int | None = None,
    criterion_id: int | None = None,
    campaign_id: int | None = None,
) -> list[ScoreEvent]:
    """Events for the history view, oldest first, narrowed by whichever ids are given."""
    query = select(ScoreEvent).order_by(ScoreEvent.id)
    if sheet_id is not None:
        query = query.where(ScoreEvent.sheet_id == sheet_id)
    if criterion_id is not None:
        query = query.where(ScoreEvent.criterion_id == criterion_id)
    if campaign_id is not None:
        query = query.where(ScoreEvent.campaign_id == campaign_id)
    return list(db.session.scalars(query))
