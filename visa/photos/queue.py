"""The photos an admin decides on, for the review queue: those waiting for approval and those reported."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from visa.extensions import db
from visa.photos.models import Photo, PhotoReport, PhotoStatus
from visa.photos.presenters import Shown, gallery


@dataclass
class PhotoItem:
    shown: Shown
    reports: list[PhotoReport]  # open reports, oldest first (none for a photo that only waits)

    @property
    def photo(self) -> Photo:
        return self.shown.photo


def photo_items(limit: int = 100) -> list[PhotoItem]:
    """Photos with open reports, then photos waiting for approval; oldest first, each next to its listing."""
    reports: dict[int, list[PhotoReport]] = {}
    for report in db.session.scalars(sa.select(PhotoReport).where(PhotoReport.resolved_at.is_(None))
                                     .order_by(PhotoReport.created_at, PhotoReport.id)).unique():
        reports.setdefault(report.photo_id, []).append(report)
    reported = list(db.session.scalars(sa.select(Photo).where(Photo.id.in_(list(reports)))
                                       .order_by(Photo.created_at).limit(limit)).unique()) if reports else []
    waiting = list(db.session.scalars(sa.select(Photo).where(Photo.status == PhotoStatus.PENDING,
                                                             Photo.id.not_in([p.id for p in reported]))
                                      .order_by(Photo.created_at).limit(limit)).unique())
    photos = reported + waiting
    return [PhotoItem(shown, reports.get(shown.photo.id, [])) for shown in gallery(photos)]
