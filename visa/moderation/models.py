"""Every change to a listing, kept as a revision."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

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
