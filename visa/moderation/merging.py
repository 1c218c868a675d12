"""Merge two listings of one space, keeping both histories (flush only).

The listing merged away is not deleted: it is suspended by a "merge" revision,
so its own revisions stay where they were and the merge can be reverted like
any change. The kept listing takes the details it lacked (website, phone,
address...), its hosts, its open reports and its place in other hosts'
exclusion lists, in a "merge" revision of its own.
"""

from __future__ import annotations

import sqlalchemy as sa

from visa.accounts.models import SpaceHost
from visa.directory.models import Space, SpaceStatus, terms_excluded_spaces
from visa.directory.revisions import Revision, record_event, record_revision, snapshot
from visa.extensions import db
from visa.messages import N_, MessageError, define
from visa.moderation.models import Report

#: Details the kept listing takes from the merged one when it has none of its own.
FILLED_FIELDS = ("description", "address_line1", "address_line2", "postcode", "region", "website", "email", "phone",
                 "timezone")


define({
    "merge_into_itself": N_("A listing cannot be merged into itself."),
    # Translators: %(name)s is the name of a coworking space, as its host
    # wrote it.
    "merged_already": N_("“%(name)s” is suspended already; restore it before merging it."),
})


class MergeError(MessageError):
    """Two listings that cannot be merged; the message says why."""


def merge_spaces(keep: Space, merged: Space, user_id: int | None) -> tuple[Revision, Revision]:
    """Merge *merged* into *keep*; returns the two "merge" revisions (kept listing's, merged listing's).

    :raise MergeError: when both are one listing or *merged* was already merged away.
    """
    if keep.id == merged.id:
        raise MergeError("merge_into_itself")
    if merged.status == SpaceStatus.SUSPENDED:
        raise MergeError("merged_already", name=merged.name)
    before = snapshot(keep)
    for name in FILLED_FIELDS:
        if not getattr(keep, name) and getattr(merged, name):
            setattr(keep, name, getattr(merged, name))
    _move_hosts(keep.id, merged.id)
    db.session.execute(sa.update(Report).where(Report.space_id == merged.id).values(space_id=keep.id))
    _move_exclusions(keep.id, merged.id)
    kept_revision = _linked(record_revision(keep, before, user_id, "merge"), keep, user_id, "merged_from",
                            merged.slug)
    before = snapshot(merged)
    merged.status = SpaceStatus.SUSPENDED
    merged_revision = _linked(record_revision(merged, before, user_id, "merge"), merged, user_id, "merged_into",
                              keep.slug)
    db.session.flush()
    return kept_revision, merged_revision


def _linked(revision: Revision | None, space: Space, user_id: int | None, link: str, slug: str) -> Revision:
    """The merge revision, naming the other listing (a revision even when no field changed)."""
    if revision is None:
        revision = record_event(space, user_id, "merge")
    revision.changes = {**revision.changes, link: [None, slug]}
    return revision


def _move_hosts(keep_id: int, merged_id: int) -> None:
    hosts = db.session.scalars(sa.select(SpaceHost).where(SpaceHost.space_id == merged_id)).all()
    kept = {h.user_id: h for h in db.session.scalars(sa.select(SpaceHost).where(SpaceHost.space_id == keep_id))}
    for host in hosts:
        if host.user_id in kept:
            kept[host.user_id].is_confirmed = kept[host.user_id].is_confirmed or host.is_confirmed
        else:
            db.session.add(SpaceHost(space_id=keep_id, user_id=host.user_id, is_confirmed=host.is_confirmed,
                                     created_at=host.created_at))
        db.session.delete(host)
    db.session.flush()


def _move_exclusions(keep_id: int, merged_id: int) -> None:
    """Hosts that excluded the merged listing now exclude the kept one."""
    table = terms_excluded_spaces
    excluders = set(db.session.scalars(sa.select(table.c.space_id).where(table.c.excluded_space_id == merged_id)))
    already = set(db.session.scalars(sa.select(table.c.space_id).where(table.c.excluded_space_id == keep_id)))
    db.session.execute(sa.delete(table).where(table.c.excluded_space_id == merged_id))
    rows = [{"space_id": s, "excluded_space_id": keep_id} for s in sorted(excluders - already) if s != keep_id]
    if rows:
        db.session.execute(sa.insert(table), rows)
    for space in db.session.identity_map.values():
        if isinstance(space, Space) and space.terms is not None and space.id in excluders:
            db.session.expire(space.terms, ["excluded_spaces"])
