"""Every change to a listing, kept as a revision; travellers' reports about listings."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from visa.extensions import db
from visa.timeutil import utcnow


class Revision(db.Model):
    __tablename__ = "revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(sa.String(40), default="web")  # web, import, seed, revert
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # {field: [old, new]} for the readable diff; snapshot is the state after the change.
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    reverted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revision.id", ondelete="SET NULL"))
    # What an admin wrote with a decision: a rejection's or suspension's reason, the changes asked for.
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    space = relationship("Space", lazy="joined")
    user = relationship("User", lazy="joined")


class ReportKind(enum.StrEnum):
    NOT_HONORED = "not_honored"
    WRONG_LISTING = "wrong_listing"


class Report(db.Model):
    """A traveller's word that a space did not honor the visa, or that its listing is wrong."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReportKind] = mapped_column(
        sa.Enum(ReportKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    reporter_email: Mapped[str] = mapped_column(sa.String(254), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(sa.Text, default="")

    space = relationship("Space", lazy="joined")
