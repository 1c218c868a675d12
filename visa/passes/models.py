"""Passes, visit requests and visits.

Field meanings other features rely on (the impact figures read these tables):

- ``Visit`` is one day a member spent at a host: ``visit_date``, ``host_space_id``,
  ``home_space_id`` and ``member_country`` (the home space's country when the visit
  was recorded, kept so the figures survive a member being forgotten or a pass deleted).
- ``VisitRequest`` has ``status``, ``created_at`` and ``answered_at`` (answer rates and
  times), ``host_space_id``, ``home_space_id`` and ``member_country``.

A member's name and e-mail are kept on ``Pass`` only, so forgetting a member is
clearing one row's personal fields; requests and visits keep anonymous counts.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from visa.directory.models import Space
from visa.extensions import db
from visa.timeutil import utcnow


def _enum(kind: type[enum.Enum], length: int) -> sa.Enum:
    return sa.Enum(kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class PassStatus(enum.StrEnum):
    REQUESTED = "requested"  # a member asked their home host; not signed yet
    ACTIVE = "active"  # signed and sent
    DECLINED = "declined"  # the home host refused the member's request
    REVOKED = "revoked"


class Pass(db.Model):
    """A member's visa pass, issued by a host of the member's home space."""

    __tablename__ = "visa_pass"

    #: The pass id carried in the token (``jti``): random, so ids cannot be guessed or counted.
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    home_space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    member_name: Mapped[str] = mapped_column(sa.String(200))
    #: Lower-cased; the free-days limits count a member's visits across renewed passes by it.
    member_email: Mapped[str] = mapped_column(sa.String(254), index=True)
    valid_from: Mapped[date] = mapped_column(sa.Date)
    valid_to: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[PassStatus] = mapped_column(_enum(PassStatus, 10), default=PassStatus.REQUESTED, index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    #: The signing key's ``kid``: a key stays published while a pass it signed is unexpired.
    key_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    #: The compact JWS, kept so the member's card shows the same token every time.
    token: Mapped[str | None] = mapped_column(sa.Text)
    #: SHA-256 of the secret in the member's card link (the link is the member's only credential).
    access_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoke_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: The member's message when asking for a pass.
    message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The member's language ("pt", "de_CH") for the mails of this pass and its visits; None: English. The site's
    #: language when they asked for the pass, or the one their host chose issuing it (members have no account).
    language: Mapped[str | None] = mapped_column(sa.String(16), default=None)

    home_space: Mapped[Space] = relationship(foreign_keys=[home_space_id])


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"


class VisitRequest(db.Model):
    """A member's request for days at a host space."""

    __tablename__ = "visit_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    pass_id: Mapped[str | None] = mapped_column(sa.ForeignKey("visa_pass.id", ondelete="SET NULL"), index=True)
    host_space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    home_space_id: Mapped[int | None] = mapped_column(sa.ForeignKey("space.id", ondelete="SET NULL"), index=True)
    #: ISO 3166-1 alpha-2 of the home space when the request was made.
    member_country: Mapped[str] = mapped_column(sa.String(2), default="", server_default="")
    first_day: Mapped[date] = mapped_column(sa.Date)
    last_day: Mapped[date] = mapped_column(sa.Date)
    message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, 12), default=RequestStatus.PENDING, index=True)
    #: The reciprocity verdict when the request was made (``honored`` and reason codes), for the host's list.
    verdict: Mapped[dict | None] = mapped_column(sa.JSON)
    decline_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    visa_pass: Mapped[Pass | None] = relationship()
    host_space: Mapped[Space] = relationship(foreign_keys=[host_space_id])
    home_space: Mapped[Space | None] = relationship(foreign_keys=[home_space_id])

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


class Visit(db.Model):
    """One day a member spent at a host space, recorded at check-in."""

    __tablename__ = "visit"
    __table_args__ = (
        # One visit per pass per host per day: a second scan the same day is the same visit.
        sa.UniqueConstraint("pass_id", "host_space_id", "visit_date", name="uq_visit_pass_host_day"),
        sa.Index("ix_visit_host_date", "host_space_id", "visit_date"),
        sa.Index("ix_visit_home_date", "home_space_id", "visit_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_date: Mapped[date] = mapped_column(sa.Date, index=True)
    host_space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"))
    home_space_id: Mapped[int | None] = mapped_column(sa.ForeignKey("space.id", ondelete="SET NULL"))
    member_country: Mapped[str] = mapped_column(sa.String(2), default="", server_default="")
    pass_id: Mapped[str | None] = mapped_column(sa.ForeignKey("visa_pass.id", ondelete="SET NULL"), index=True)
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visit_request.id", ondelete="SET NULL"), index=True)
    checked_in_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    checked_in_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    visa_pass: Mapped[Pass | None] = relationship()
