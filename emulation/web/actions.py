"""One way for a view to change something: `act` calls the domain, commits or rolls back,
and says what to show.

    done = act(lambda: sheets.advance(sheet, current_user), success=_("Đã chuyển bước."))
    return done.redirect(url_for("scoring.sheet", sheet_id=sheet.id))

- The call succeeds: its work is committed; `done.value` is what it returned and
  `done.message` the success text (`success`, or `success(value)` when it is a function).
- The domain refuses (DomainError): its work is rolled back. With `form`, the refusal goes
  next to the field it names, or next to `field` when it names none this form has; without
  a form (or a field to put it on) it is flashed by `redirect`, or shown by the htmx
  fragment that `answer` renders (the fragment reads `done.error`).
- Another writer got there first (two people chaining the audit trail at once, a versioned
  row changed meanwhile, SQLite busy): rolled back and the whole call runs once more on
  fresh data, so it decides again — a second "advance" of the same sheet is then refused
  with the domain's own words. A second loss becomes the refusal BUSY, never a 500.

Other exceptions are not the user's to act on: they are rolled back and raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash
from flask import redirect as redirect_to
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.scoring import audit
from emulation.web.common import field_error, is_htmx

BUSY = _l("Có người khác vừa thay đổi dữ liệu này cùng lúc; hãy tải lại trang rồi thử lại.")

# What the database says when this transaction lost to a concurrent one (SQLite, PostgreSQL).
_RACE_WORDS = ("database is locked", "could not serialize access", "deadlock detected")


@dataclass
class Outcome:
    """What came of an action: its value and success text, or the refusal."""

    value: Any = None
    message: str | None = None
    refusal: DomainError | None = None
    on_form: bool = False  # the refusal is shown next to a form field

    @property
    def ok(self) -> bool:
        return self.refusal is None

    def __bool__(self) -> bool:
        return self.ok

    @property
    def error(self) -> str | None:
        """The refusal in words the user can act on (None when the action succeeded)."""
        return None if self.refusal is None else self.refusal.message

    @property
    def category(self) -> str:
        return "success" if self.ok else "error"

    def flash(self) -> None:
        """Flash the success text or the refusal, unless the refusal sits on the form."""
        text = self.message if self.ok else self.error
        if text and not self.on_form:
            flash(text, self.category)

    def redirect(self, location: str):
        """Redirect after POST, the outcome flashed for the next page."""
        self.flash()
        return redirect_to(location)

    def answer(self, location: str, fragment: Callable[[], Any]):
        """htmx gets `fragment()`, which shows the outcome itself; a plain request is
        redirected to `location` with the outcome flashed."""
        if is_htmx():
            return fragment()
        return self.redirect(location)


def act(
    call: Callable[[], Any],
    *,
    form=None,
    field: str | None = None,
    success: str | Callable[[Any], str] | None = None,
) -> Outcome:
    """Run `call` (the domain action, no arguments) and commit; see the module docstring."""
    for _attempt in range(2):
        try:
            value = call()
            db.session.commit()
        except DomainError as refusal:
            db.session.rollback()
            return _refused(refusal, form, field)
        except (IntegrityError, OperationalError, StaleDataError) as error:
            db.session.rollback()
            if not lost_race(error):
                raise
            continue
        except Exception:
            db.session.rollback()
            raise
        message = success(value) if callable(success) else success
        return Outcome(value, message=str(message) if message is not None else None)
    return _refused(DomainError(str(BUSY)), form, field)


def lost_race(error: Exception) -> bool:
    """True when the commit failed only because a concurrent writer committed first."""
    if audit.chain_conflict(error) or isinstance(error, StaleDataError):
        return True
    if isinstance(error, OperationalError):
        text = str(error.orig).lower()
        return any(words in text for words in _RACE_WORDS)
    return False


def _refused(refusal: DomainError, form, field: str | None) -> Outcome:
    if form is None or not (field or hasattr(form, refusal.field or "")):
        return Outcome(refusal=refusal)
    field_error(form, refusal, field or refusal.field)
    return Outcome(refusal=refusal, on_form=True)
