"""A listing's photos and travellers' reports about them.

A photo is shown to travellers only once approved (:meth:`Photo.shown`): an admin's upload is approved at
once, a host's waits in the review queue. Its files live in the photo store under names made of ``key``.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from visa.extensions import db
from visa.timeutil import utcnow

#: The most photos a listing may have (approved or waiting).
MAX_PHOTOS = 8
ALT_LENGTH = 300
CAPTION_LENGTH = 300


class PhotoStatus(enum.StrEnum):
    PENDING = "pending"  # waits for an admin; its hosts and admins see it
    APPROVED = "approved"  # travellers see it


class Photo(db.Model):
    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), index=True)
    # The SHA-256 of the uploaded file: its published files are KEY-WIDTH.webp and KEY-WIDTH.jpg.
    key: Mapped[str] = mapped_column(sa.String(64), index=True)
    width: Mapped[int] = mapped_column()  # the largest published width, upright
    height: Mapped[int] = mapped_column()
    widths: Mapped[list] = mapped_column(sa.JSON, default=list)  # every published width, narrowest first
    alt: Mapped[str] = mapped_column(sa.String(ALT_LENGTH))
    caption: Mapped[str] = mapped_column(sa.String(CAPTION_LENGTH), default="", server_default="")
    # The language the alt text and caption are written in (the uploader's language on the site).
    lang: Mapped[str] = mapped_column(sa.String(16), default="en", server_default="en")
    position: Mapped[int] = mapped_column(default=0)  # the gallery's order, smallest first
    status: Mapped[PhotoStatus] = mapped_column(
        sa.Enum(PhotoStatus, native_enum=False, length=12, values_callable=lambda e: [m.value for m in e]),
        default=PhotoStatus.PENDING, index=True,
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    space = relationship("Space", lazy="joined")
    uploaded_by = relationship("User", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("space_id", "key", name="uq_photo_space_key"),)

    @property
    def is_approved(self) -> bool:
        return self.status == PhotoStatus.APPROVED

    @classmethod
    def of_space(cls, space_id: int) -> sa.Select:
        """A listing's photos, approved or waiting, in the gallery's order."""
        return sa.select(cls).where(cls.space_id == space_id).order_by(cls.position, cls.id)

    @classmethod
    def shown(cls) -> sa.Select:
        """Photos travellers may see, in each gallery's order."""
        return sa.select(cls).where(cls.status == PhotoStatus.APPROVED).order_by(cls.space_id, cls.position, cls.id)


class PhotoReport(db.Model):
    """A traveller's word that a photo should not be shown (not this space, people who did not agree, ...)."""

    __tablename__ = "photo_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(sa.ForeignKey("photo.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # An admin kept the photo after reading the report (a photo taken down goes, with its reports).
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    photo = relationship("Photo", lazy="joined")
