"""Hosts and admins, and which spaces a host keeps."""

from __future__ import annotations

import enum
import functools
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from visa.extensions import db
from visa.timeutil import utcnow


class Role(enum.StrEnum):
    """Stored by name in a VARCHAR(16) (no native enum): a new role needs a wider column, never an ALTER TYPE."""

    HOST = "host"
    ADMIN = "admin"
    #: Verifies listings mail cannot reach (visa.volunteers), once an admin approves them (``volunteer_approved_at``).
    VOLUNTEER = "volunteer"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    role: Mapped[Role] = mapped_column(
        sa.Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]), default=Role.HOST
    )
    is_confirmed: Mapped[bool] = mapped_column(default=False)
    #: Part of every session's id: changing the password bumps it, which ends every other session.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: The language the host chose on the site ("pt", "de_CH"); pages and mails use it. None: not chosen yet.
    language: Mapped[str | None] = mapped_column(sa.String(16), default=None)
    #: A volunteer may take tasks once an admin approved them; None: the application waits (or not a volunteer).
    volunteer_approved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: An admin gave this volunteer the right to accept or reject other volunteers' findings.
    is_validator: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_volunteer(self) -> bool:
        """An approved volunteer (admins do volunteers' work too, but are not volunteers)."""
        return self.role == Role.VOLUNTEER and self.volunteer_approved_at is not None

    @property
    def is_volunteer_applicant(self) -> bool:
        return self.role == Role.VOLUNTEER and self.volunteer_approved_at is None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session (and the remember cookie): the id and the session version."""
        return f"{self.id}:{self.session_version or 1}"

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt, a memory-hard modern scheme.
        if self.password_hash:
            # A new password ends every session opened with the old one (the caller signs this one in again).
            self.session_version = (self.session_version or 1) + 1
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash("no account has this password")


def check_password_evenly(user: User | None, password: str) -> bool:
    """Check *password* against *user*, or against a dummy scrypt hash when there is no such user.

    A sign-in then takes as long whether the address has an account or not.
    """
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(user.password_hash, password)


class SpaceHost(db.Model):
    """A host's claim on a space; ``is_confirmed`` once an admin accepts it."""

    __tablename__ = "space_host"

    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    is_confirmed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
