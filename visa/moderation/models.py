"""Travellers' reports about listings (revisions are the directory's: ``visa.directory.revisions``)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from visa.extensions import db
from visa.timeutil import utcnow


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


class ImportLock(db.Model):
    """The import running now: at most one row (id 1), written and deleted in transactions of their own, so
    that every worker sees it while the import's own transaction is still open (visa.moderation.import_lock)."""

    __tablename__ = "import_lock"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_by: Mapped[str] = mapped_column(sa.String(254))
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
