"""The revision feed's queries: newest first, filtered by listing, by person and by kind."""

from __future__ import annotations

import sqlalchemy as sa

from visa import emails
from visa.accounts.models import User
from visa.directory.models import Space
from visa.directory.revisions import Revision
from visa.directory.services import MERGE_LINKS, snapshot
from visa.extensions import db
from visa.moderation.revision_words import EVENTS, KINDS, Change, field_label, kind_of, value_words

PAGE_SIZE = 50
#: The kinds the feed filters by, with the sources that record them ("created" is a web edit of nothing).
KIND_SOURCES = {"created": ("web",), "edited": ("web",), "confirmed": ("confirm",), "moderated": ("moderation",),
                "imported": ("import",), "reverted": ("revert",), "merged": ("merge",), "demo": ("seed",),
                "changes_asked": ("changes_asked",), "photos": ("photos",)}
FILTER_KINDS = {k: KINDS[k] for k in ("edited", "confirmed", "moderated", "changes_asked", "imported", "reverted",
                                          "merged", "photos")}


def revisions(page: int = 1, slug: str = "", email: str = "", kind: str = "") -> list[Revision]:
    """One page of revisions; an unknown slug, e-mail or kind finds none rather than all."""
    query = sa.select(Revision).order_by(Revision.id.desc())
    if slug:
        query = query.join(Space, Space.id == Revision.space_id).where(Space.slug == slug)
    if email:
        query = query.join(User, User.id == Revision.user_id).where(User.email_key == emails.key(email))
    if kind:
        query = query.where(Revision.source.in_(KIND_SOURCES.get(kind, ())))
    return list(db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).unique())


def revert_preview(revision: Revision) -> tuple[bool, list[Change]]:
    """(takes the listing off the map, each field as it is now and as the revert would leave it)."""
    space = db.session.get(Space, revision.space_id)
    now = snapshot(space)
    changes = {k: v for k, v in (revision.changes or {}).items() if k not in MERGE_LINKS}
    if changes and all(old is None for old, _new in changes.values()):
        return True, [Change(field_label("status"), value_words("status", now["status"]),
                             value_words("status", "suspended"))]
    rows = [Change(field_label(key), value_words(key, now.get(key)), value_words(key, old))
            for key, (old, _new) in changes.items() if now.get(key) != old]
    return False, rows


def revisable(revision: Revision) -> bool:
    return kind_of(revision) not in EVENTS and revision.reverted_by_id is None
