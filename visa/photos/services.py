"""Adding, ordering, approving and removing a listing's photos; travellers' reports about them.

Each change is a revision of the listing (source "photos"): its changes hold the listing's photos before and
after, as plain values (:func:`photo_state`). These functions flush but never commit; a photo's files are written
to the store before the row, and deleted only when no other listing shows the same upload.
"""

from __future__ import annotations

import sqlalchemy as sa

from visa.directory.models import Space, bump_registry_version
from visa.directory.revisions import Revision, record_event
from visa.extensions import db
from visa.messages import N_, MessageError, define
from visa.photos.images import ENCODINGS, Processed, file_name
from visa.photos.models import MAX_PHOTOS, Photo, PhotoReport, PhotoStatus
from visa.photos.storage import PhotoStore
from visa.timeutil import utcnow

#: The revisions' source for every photo change.
SOURCE = "photos"

define({
    # Translators: %(limit)s is the most photos a listing may have (8).
    "photo_limit": N_("A listing has at most %(limit)s photos. Remove one before adding another."),
    "photo_already_added": N_("This photo is already on the listing."),
})


class PhotoError(MessageError):
    """The photo cannot be added; the message says why."""


def photos_of(space_id: int) -> list[Photo]:
    return list(db.session.scalars(Photo.of_space(space_id)).unique())


def photo_state(space_id: int) -> list[dict]:
    """The listing's photos as a revision keeps them: plain values, in the gallery's order."""
    return [{"key": p.key, "alt": p.alt, "caption": p.caption, "status": p.status.value} for p in photos_of(space_id)]


def _record(space: Space, before: list[dict], user_id: int | None, note: str = "") -> Revision:
    db.session.flush()
    revision = record_event(space, user_id, SOURCE, note)
    revision.changes = {"photos": [before, photo_state(space.id)]}
    # The search's pre-encoded answers carry each listing's first photo: a new registry version renews them.
    bump_registry_version(db.session.connection())
    return revision


def add_photo(space: Space, processed: Processed, alt: str, caption: str, lang: str, user_id: int | None,
              approved: bool, store: PhotoStore) -> Photo:
    """Add a photo at the end of the gallery; *approved* (an admin's upload) shows it at once.

    :raise PhotoError: the listing has :data:`MAX_PHOTOS` already, or this very upload.
    """
    existing = photos_of(space.id)
    if len(existing) >= MAX_PHOTOS:
        raise PhotoError("photo_limit", limit=MAX_PHOTOS)
    if any(p.key == processed.key for p in existing):
        raise PhotoError("photo_already_added")
    before = photo_state(space.id)
    for rendition in processed.renditions:
        store.put(rendition.name(processed.key), rendition.data)
    photo = Photo(space_id=space.id, key=processed.key, width=processed.width, height=processed.height,
                  widths=processed.widths, alt=alt.strip(), caption=caption.strip(), lang=lang,
                  position=max((p.position for p in existing), default=-1) + 1, uploaded_by_id=user_id,
                  status=PhotoStatus.APPROVED if approved else PhotoStatus.PENDING,
                  approved_at=utcnow() if approved else None)
    db.session.add(photo)
    _record(space, before, user_id)
    return photo


def move_photo(photo: Photo, step: int, user_id: int | None) -> Revision | None:
    """Move a photo *step* places (-1: earlier, 1: later) in its gallery; None at either end."""
    gallery = photos_of(photo.space_id)
    at = next(i for i, p in enumerate(gallery) if p.id == photo.id)
    to = at + step
    if not 0 <= to < len(gallery):
        return None
    before = photo_state(photo.space_id)
    gallery[at], gallery[to] = gallery[to], gallery[at]
    for position, each in enumerate(gallery):
        each.position = position
    return _record(photo.space, before, user_id)


def approve_photo(photo: Photo, user_id: int | None) -> Revision | None:
    if photo.is_approved:
        return None
    before = photo_state(photo.space_id)
    photo.status, photo.approved_at = PhotoStatus.APPROVED, utcnow()
    return _record(photo.space, before, user_id)


def remove_photo(photo: Photo, user_id: int | None, note: str = "") -> list[str]:
    """Take a photo off its listing (its host removing it, an admin refusing or taking it down, with *note*).

    Returns the names of its files that no other listing shows: the caller deletes them from the store once the
    removal is committed (:func:`delete_files`), so a removal that fails keeps the photo whole.
    """
    space = photo.space
    before = photo_state(space.id)
    key, widths = photo.key, list(photo.widths)
    db.session.delete(photo)
    _record(space, before, user_id, note)
    if db.session.scalar(sa.select(sa.func.count()).select_from(Photo).where(Photo.key == key)):
        return []
    return [file_name(key, width, extension) for width in widths for extension in ENCODINGS]


def delete_files(store: PhotoStore, names: list[str]) -> None:
    for name in names:
        store.delete(name)


def report_photo(photo: Photo, message: str) -> PhotoReport:
    report = PhotoReport(photo_id=photo.id, message=message.strip())
    db.session.add(report)
    db.session.flush()
    return report


def keep_photo(photo: Photo) -> int:
    """An admin read the reports about *photo* and keeps it: they are resolved. How many."""
    reports = db.session.scalars(sa.select(PhotoReport).where(PhotoReport.photo_id == photo.id,
                                                              PhotoReport.resolved_at.is_(None))).unique().all()
    for report in reports:
        report.resolved_at = utcnow()
    return len(reports)


def file_names() -> list[str]:
    """The names of every published file of every photo: what the photo store must hold."""
    photos = db.session.scalars(sa.select(Photo)).unique()
    return [file_name(p.key, width, extension) for p in photos for width in p.widths for extension in ENCODINGS]
