"""Accounts: who signs in, in which role, for which unit."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.units.models import Unit


class Role:
    ADMIN = "admin"  # standing office of the council (Thường trực Hội đồng TĐKT)
    UNIT_OFFICER = "unit_officer"  # cán bộ đơn vị, scoped to one unit
    COUNCIL_MEMBER = "council_member"  # thành viên Hội đồng TĐKT

    LABELS = {
        ADMIN: _l("Thường trực Hội đồng"),
        UNIT_OFFICER: _l("Cán bộ đơn vị"),
        COUNCIL_MEMBER: _l("Thành viên Hội đồng"),
    }
    ALL = tuple(LABELS)


class User(UserMixin, db.Model):
    """A person who signs in. Unit officers belong to one unit; council members may too."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    # `unit.accounts` lets the units area ask "does anyone sign in for it?" without importing this.
    unit: Mapped[Unit | None] = relationship(backref=db.backref("accounts"))

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_unit_officer(self) -> bool:
        return self.role == Role.UNIT_OFFICER

    @property
    def is_council_member(self) -> bool:
        return self.role == Role.COUNCIL_MEMBER

    @property
    def role_label(self) -> str:
        return str(Role.LABELS.get(self.role, self.role))

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
